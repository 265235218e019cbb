/**
 * Turns recognized lines into layout fragments: boxes in a deskewed "layout frame" where text runs
 * along +x, split wherever a detector box bridges a wide gap (two columns, label and value).
 * Later stages regroup fragments, so splitting too eagerly only costs a merge.
 */
import type { Line, Point, Quad, Word } from '../page.ts';
import {
  type Box,
  boxHeight,
  boxToQuad,
  median,
  quadAngle,
  quadLength,
  quadThickness,
  quadToBox,
  rotateQuad,
  unionBoxes,
} from '../geometry/index.ts';

/**
 * A word gap wider than this many line heights splits a detector box in two. Word spaces are
 * ~0.3 line heights even in justified text; column gutters and form gaps are wider.
 */
export const SPLIT_GAP = 0.6;

/** How page coordinates map to the layout frame: rotate by `-angle` radians about `center`. */
export interface Frame {
  angle: number;
  center: Point;
}

/** One piece of text as the layout stage sees it. */
export interface Fragment {
  /** Creation order; breaks ties so the output never depends on sort stability. */
  id: number;
  text: string;
  confidence: number;
  /** Words in page coordinates, in reading (x) order. */
  words: Word[];
  /** In page coordinates. */
  quad: Quad;
  /** Axis-aligned box in the layout frame. */
  box: Box;
  /** The input line when this fragment is that whole line, unchanged. */
  source: Line | null;
}

/**
 * The page's dominant text direction: the median direction of lines clearly longer than tall,
 * so both a slight scan skew and a whole-page 90° turn become a frame where text runs along +x.
 */
export function estimateFrame(lines: readonly Line[], size: { width: number; height: number }): Frame {
  const long = lines.filter((l) => quadLength(l.quad) >= 2 * quadThickness(l.quad));
  const pool = long.length > 0 ? long : lines;
  return { angle: median(pool.map((l) => quadAngle(l.quad))), center: [size.width / 2, size.height / 2] };
}

/** Box of `quad` in the layout frame. */
export function toFrameBox(quad: Quad, frame: Frame): Box {
  return quadToBox(frame.angle === 0 ? quad : rotateQuad(quad, -frame.angle, frame.center));
}

/** A layout-frame box as a page-coordinate quad, clockwise from the text's top-left. */
export function fromFrameBox(box: Box, frame: Frame): Quad {
  const q = boxToQuad(box);
  return frame.angle === 0 ? q : rotateQuad(q, frame.angle, frame.center);
}

/** Character-weighted mean confidence; empty texts count as one character so nothing divides by 0. */
export function meanConfidence(items: readonly { text: string; confidence: number }[]): number {
  let sum = 0;
  let n = 0;
  for (const it of items) {
    const w = Math.max(1, it.text.length);
    sum += it.confidence * w;
    n += w;
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * One fragment per line, or several where the line's words leave a gap wider than
 * {@link SPLIT_GAP} line heights. Lines with no visible text are dropped.
 */
export function makeFragments(lines: readonly Line[], frame: Frame): Fragment[] {
  const out: Fragment[] = [];
  for (const line of lines) {
    if (line.text.trim() === '') continue;
    const box = toFrameBox(line.quad, frame);
    const words = line.words
      .filter((w) => w.text.trim() !== '')
      .map((w) => ({ w, box: toFrameBox(w.quad, frame) }))
      .sort((p, q) => p.box.x0 - q.box.x0);
    const h = boxHeight(box);
    const parts: (typeof words)[] = [];
    for (const w of words) {
      const cur = parts[parts.length - 1];
      const prev = cur?.[cur.length - 1];
      if (cur && prev && w.box.x0 - prev.box.x1 <= SPLIT_GAP * h) cur.push(w);
      else parts.push([w]);
    }
    if (parts.length <= 1) {
      out.push({ id: out.length, text: line.text, confidence: line.confidence, words: words.map((x) => x.w), quad: line.quad, box, source: line });
      continue;
    }
    for (const part of parts) {
      const wb = unionBoxes(part.map((x) => x.box));
      // Keep the line's vertical extent: word boxes may be tighter than the detector's line box.
      const fb: Box = { x0: wb.x0, x1: wb.x1, y0: Math.min(wb.y0, box.y0), y1: Math.max(wb.y1, box.y1) };
      const ws = part.map((x) => x.w);
      out.push({
        id: out.length,
        text: ws.map((w) => w.text).join(' '),
        confidence: meanConfidence(ws),
        words: ws,
        quad: fromFrameBox(fb, frame),
        box: fb,
        source: null,
      });
    }
  }
  return out;
}

/** One output line from fragments of one visual line (x order); an untouched input line stays as it was. */
export function fragmentsToLine(frags: readonly Fragment[], frame: Frame): Line {
  const sorted = [...frags].sort((p, q) => p.box.x0 - q.box.x0 || p.id - q.id);
  const only = sorted.length === 1 ? sorted[0] : undefined;
  if (only?.source) return only.source;
  if (only) return { text: only.text, confidence: only.confidence, quad: only.quad, words: only.words };
  return {
    text: sorted.map((f) => f.text).join(' '),
    confidence: meanConfidence(sorted),
    quad: fromFrameBox(unionBoxes(sorted.map((f) => f.box)), frame),
    words: sorted.flatMap((f) => f.words),
  };
}
