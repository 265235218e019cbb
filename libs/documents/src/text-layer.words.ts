import type { TextGlyph, TextLayerPoint, TextLayerQuad, TextLayerWord, TextRun } from './text-layer.types.ts';
import { applyMatrix, type Matrix } from './text-layer.geometry.ts';

/**
 * Latin typographic ligatures (U+FB00–FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) become their letters. Only these:
 * NFKC on whole strings would also rewrite ², ½, ™, full-width forms and the like, which
 * the page prints and the reader expects back.
 */
export function expandLigatures(text: string): string {
  return text.replace(/[\uFB00-\uFB06]/gu, (ch) => ch.normalize('NFKC'));
}

/**
 * Two runs continue one word when the second starts within this many font heights after the
 * first ends (kerning and font switches inside a word leave gaps far below a space, ~0.25 em).
 */
const JOIN_GAP = 0.12;
/** …and its baseline is within this many font heights (a superscript mark still joins its word). */
const JOIN_BASELINE = 0.4;

const isWhitespace = (ch: string): boolean => /\s/u.test(ch);

/** The run's frame in user space: origin, unit advance direction, unit "up", font height. */
function frameOf(run: TextRun): { origin: TextLayerPoint; u: TextLayerPoint; v: TextLayerPoint; h: number } {
  const [a, b, c, d, e, f] = run.transform;
  const la = Math.hypot(a, b) || 1;
  const lc = Math.hypot(c, d) || 1;
  return { origin: [e, f], u: [a / la, b / la], v: [c / lc, d / lc], h: run.height };
}

function pointAt(run: TextRun, along: number, up: number): TextLayerPoint {
  const { origin, u, v, h } = frameOf(run);
  return [origin[0] + along * u[0] + up * h * v[0], origin[1] + along * u[1] + up * h * v[1]];
}

/**
 * A span of a run as a quad, clockwise from the top-left as read (ascent to descent): in pixel
 * space (y down) "up" in the PDF maps to up on screen, so the corners keep their roles under
 * any rotation, /Rotate included.
 */
export function spanQuad(run: TextRun, start: number, end: number, toPixels: Matrix): TextLayerQuad {
  return [
    applyMatrix(toPixels, pointAt(run, start, run.ascent)),
    applyMatrix(toPixels, pointAt(run, end, run.ascent)),
    applyMatrix(toPixels, pointAt(run, end, run.descent)),
    applyMatrix(toPixels, pointAt(run, start, run.descent)),
  ];
}

interface Piece {
  run: number;
  text: string;
  start: number;
  end: number;
  /** The piece reaches the end of its run (no whitespace after it). */
  atRunEnd: boolean;
  /** The piece starts its run (no whitespace before it). */
  atRunStart: boolean;
}

/** Splits one run at whitespace into pieces of kept glyphs. */
function runPieces(run: TextRun, index: number, keep: (glyph: TextGlyph) => boolean): Piece[] {
  const pieces: Piece[] = [];
  let current: Piece | null = null;
  let sawWhitespace = false;
  for (const glyph of run.glyphs) {
    if (isWhitespace(glyph.text)) {
      if (current) pieces.push(current);
      current = null;
      sawWhitespace = true;
      continue;
    }
    // A dropped glyph (invisible, off the page, an icon in the private-use area) leaves the
    // word it sits in whole rather than splitting it.
    if (!keep(glyph)) continue;
    const text = expandLigatures(glyph.text);
    if (current) {
      current.text += text;
      current.end = glyph.end;
    } else {
      current = { run: index, text, start: glyph.start, end: glyph.end, atRunEnd: false, atRunStart: !sawWhitespace && pieces.length === 0 };
    }
  }
  if (current) {
    current.atRunEnd = true;
    pieces.push(current);
  }
  return pieces;
}

/** Whether `next` (starting its run) continues `prev` (ending its run) on the page. */
function continues(runs: readonly TextRun[], prev: Piece, next: Piece): boolean {
  const a = runs[prev.run]!;
  const b = runs[next.run]!;
  if (a.endOfLine || !prev.atRunEnd || !next.atRunStart) return false;
  const fa = frameOf(a);
  const fb = frameOf(b);
  if (fa.u[0] * fb.u[0] + fa.u[1] * fb.u[1] < 0.99) return false;
  const end = pointAt(a, prev.end, 0);
  const start = pointAt(b, next.start, 0);
  const dx = start[0] - end[0];
  const dy = start[1] - end[1];
  const gap = dx * fa.u[0] + dy * fa.u[1];
  const rise = dx * fa.v[0] + dy * fa.v[1];
  const h = Math.max(fa.h, fb.h);
  return gap > -JOIN_GAP * h && gap < JOIN_GAP * h && Math.abs(rise) < JOIN_BASELINE * h;
}

/**
 * Words of the runs, in content order: split at whitespace, ligatures expanded, hyphens kept as
 * printed, a word split across runs (font switch, kerning) joined back. `toPixels` maps PDF user
 * space to page pixels (the render viewport's transform); `keep` drops glyphs that are not trusted.
 */
export function buildWords(runs: readonly TextRun[], toPixels: Matrix, keep: (glyph: TextGlyph) => boolean = () => true): TextLayerWord[] {
  const words: TextLayerWord[] = [];
  let last: { piece: Piece; word: TextLayerWord } | null = null;
  runs.forEach((run, index) => {
    for (const piece of runPieces(run, index, keep)) {
      if (last && continues(runs, last.piece, piece)) {
        last.word.text += piece.text;
        const tail = spanQuad(run, piece.start, piece.end, toPixels);
        last.word.quad = [last.word.quad[0], tail[1], tail[2], last.word.quad[3]];
        last.piece = piece;
        continue;
      }
      const word: TextLayerWord = { text: piece.text, quad: spanQuad(run, piece.start, piece.end, toPixels), confidence: 1, run: index };
      words.push(word);
      last = { piece, word };
    }
  });
  return words;
}
