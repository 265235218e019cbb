import type { TextGlyph, TextLayerPoint, TextLayerQuad, TextLayerWord, TextRun } from './text-layer.types.ts';
import { applyMatrix, type Matrix } from './text-layer.geometry.ts';
import { compose, expandLigatures, isSpacingAccent, isWhitespace } from './text-layer.chars.ts';

export { expandLigatures };

/**
 * Two runs continue one word when the second starts within this many font heights after the
 * first ends (kerning and font switches inside a word leave gaps far below a space, ~0.25 em).
 */
const JOIN_GAP = 0.12;
/** …and its baseline is within this many font heights (a superscript mark still joins its word). */
const JOIN_BASELINE = 0.4;
/** A run that starts with a separately set accent moves back over its letter by up to about an em. */
const ACCENT_BACKSTEP = 1.2;


/** A run's frame: see `frameOf`. */
export interface RunFrame {
  origin: TextLayerPoint;
  u: TextLayerPoint;
  v: TextLayerPoint;
  h: number;
  top: number;
  bottom: number;
}

/**
 * The run's frame in user space: origin, unit advance direction `u`, unit "up" `v` (the side the
 * ascenders point to), font height `h`, and the extent across the run in heights. Vertical
 * writing advances down the glyphs' y axis, its column centred on the origin; read top to
 * bottom, its "up" is the column's right side.
 */
export function frameOf(run: TextRun): RunFrame {
  const [a, b, c, d, e, f] = run.transform;
  const la = Math.sqrt(a * a + b * b) || 1;
  const lc = Math.sqrt(c * c + d * d) || 1;
  if (run.vertical) return { origin: [e, f], u: [-c / lc, -d / lc], v: [a / la, b / la], h: la, top: 0.5, bottom: -0.5 };
  return { origin: [e, f], u: [a / la, b / la], v: [c / lc, d / lc], h: run.height, top: run.ascent, bottom: run.descent };
}

/** The point `along` user-space units down the run and `up` font heights across it. */
export function pointAt(run: TextRun | RunFrame, along: number, up: number): TextLayerPoint {
  const { origin, u, v, h } = 'transform' in run ? frameOf(run) : run;
  return [origin[0] + along * u[0] + up * h * v[0], origin[1] + along * u[1] + up * h * v[1]];
}

/**
 * A span of a run as a quad, clockwise from the top-left as read (ascent to descent): in pixel
 * space (y down) "up" in the PDF maps to up on screen, so the corners keep their roles under
 * any rotation, /Rotate included.
 */
export function spanQuad(run: TextRun | RunFrame, start: number, end: number, toPixels: Matrix): TextLayerQuad {
  const frame = 'transform' in run ? frameOf(run) : run;
  const { top, bottom } = frame;
  return [
    applyMatrix(toPixels, pointAt(frame, start, top)),
    applyMatrix(toPixels, pointAt(frame, end, top)),
    applyMatrix(toPixels, pointAt(frame, end, bottom)),
    applyMatrix(toPixels, pointAt(frame, start, bottom)),
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

/** Whether `next` (starting its run) continues `prev` (ending its run) on the page; `backstep` allows an accent's move back. */
function continues(runs: readonly TextRun[], frames: readonly RunFrame[], prev: Piece, next: Piece, backstep = JOIN_GAP): boolean {
  if (runs[prev.run]!.endOfLine || !prev.atRunEnd || !next.atRunStart) return false;
  const fa = frames[prev.run]!;
  const fb = frames[next.run]!;
  if (fa.u[0] * fb.u[0] + fa.u[1] * fb.u[1] < 0.99) return false;
  const end = pointAt(fa, prev.end, 0);
  const start = pointAt(fb, next.start, 0);
  const dx = start[0] - end[0];
  const dy = start[1] - end[1];
  const gap = dx * fa.u[0] + dy * fa.u[1];
  const rise = dx * fa.v[0] + dy * fa.v[1];
  const h = Math.max(fa.h, fb.h);
  return gap > -backstep * h && gap < JOIN_GAP * h && Math.abs(rise) < JOIN_BASELINE * h;
}

/**
 * Words of the runs, in content order: split at whitespace, ligatures expanded, hyphens kept as
 * printed, a word split across runs (font switch, kerning) joined back. `toPixels` maps PDF user
 * space to page pixels (the render viewport's transform); `keep` drops glyphs that are not trusted.
 */
export function buildWords(runs: readonly TextRun[], toPixels: Matrix, keep: (glyph: TextGlyph) => boolean = () => true): TextLayerWord[] {
  const words: TextLayerWord[] = [];
  // Each run's frame, worked out once: every quad and every join test reads it.
  const frames = runs.map(frameOf);
  let last: { piece: Piece; word: TextLayerWord } | null = null;
  runs.forEach((run, index) => {
    const frame = frames[index]!;
    for (const piece of runPieces(run, index, keep)) {
      // A run that opens with an accent set apart from its letter (TeX: "Age" then "ˆncia").
      const accent = [...piece.text][0] ?? '';
      const base = last ? [...last.word.text].pop() ?? '' : '';
      const accented = last && isSpacingAccent(accent) ? compose(base, accent) : null;
      if (last && accented && continues(runs, frames, last.piece, piece, ACCENT_BACKSTEP)) {
        last.word.text = [...last.word.text].slice(0, -1).join('') + accented + piece.text.slice(accent.length);
        last.word.quad = hullQuad([last.word.quad, spanQuad(frame, piece.start, piece.end, toPixels)]);
        last.piece = piece;
        continue;
      }
      if (last && continues(runs, frames, last.piece, piece)) {
        last.word.text += piece.text;
        last.word.quad = hullQuad([last.word.quad, spanQuad(frame, piece.start, piece.end, toPixels)]);
        last.piece = piece;
        continue;
      }
      // An accent that no letter before takes goes on the letter after it.
      const [first, second, ...rest] = [...piece.text];
      const onNext = first && second && isSpacingAccent(first) ? compose(second, first) : null;
      if (onNext) piece.text = onNext + rest.join('');
      const word: TextLayerWord = { text: piece.text, quad: spanQuad(frame, piece.start, piece.end, toPixels), confidence: 1, run: index };
      words.push(word);
      last = { piece, word };
    }
  });
  return words;
}

/**
 * Neighbouring words in content order belong to one line when the next starts within this many
 * font heights after the previous one ends: word spaces are ~0.25–0.35 em, and a line that a text
 * detector would box whole (label and value set in two fonts) keeps gaps under one em. The
 * layout stage splits lines again at column gutters, so erring towards joining is safe.
 */
export const LINE_JOIN_GAP = 1;
/** …and its middle lies within this many heights of the previous word's middle, across the line. */
const LINE_JOIN_OFFSET = 0.35;

function edgeVector(q: TextLayerQuad): { dir: TextLayerPoint; len: number } {
  const dx = q[1][0] - q[0][0];
  const dy = q[1][1] - q[0][1];
  const len = Math.sqrt(dx * dx + dy * dy);
  return { dir: len > 0 ? [dx / len, dy / len] : [1, 0], len };
}

const midpoint = (a: TextLayerPoint, b: TextLayerPoint): TextLayerPoint => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

/** Whether `b` continues the line `a` ends, read along `a`'s direction. */
function sameLine(a: TextLayerWord, b: TextLayerWord): boolean {
  const ea = edgeVector(a.quad);
  const eb = edgeVector(b.quad);
  if (ea.dir[0] * eb.dir[0] + ea.dir[1] * eb.dir[1] < 0.99) return false;
  const side = (q: TextLayerQuad): number => Math.sqrt((q[3][0] - q[0][0]) ** 2 + (q[3][1] - q[0][1]) ** 2);
  const h = Math.max(side(a.quad), side(b.quad));
  if (!(h > 0)) return false;
  const aEnd = midpoint(a.quad[1], a.quad[2]);
  const bStart = midpoint(b.quad[0], b.quad[3]);
  const dx = bStart[0] - aEnd[0];
  const dy = bStart[1] - aEnd[1];
  const gap = dx * ea.dir[0] + dy * ea.dir[1];
  const offset = -dx * ea.dir[1] + dy * ea.dir[0];
  return gap > -0.2 * h && gap < LINE_JOIN_GAP * h && Math.abs(offset) < LINE_JOIN_OFFSET * h;
}

/**
 * Groups words (content order) into the lines a text detector would box: consecutive words on
 * one baseline with word-sized gaps. The engine's layout stage takes such lines, splits them at
 * column gutters and orders them; this only saves it from seeing every font switch as a new line.
 */
export function groupLines(words: readonly TextLayerWord[]): TextLayerWord[][] {
  const lines: TextLayerWord[][] = [];
  for (const w of words) {
    const line = lines[lines.length - 1];
    const last = line?.[line.length - 1];
    if (line && last && sameLine(last, w)) line.push(w);
    else lines.push([w]);
  }
  return lines;
}

/**
 * The rectangle around some quads, aligned with the first one's direction, clockwise from the
 * top-left as read. Joining corners of differently sized words (a bold label before a regular
 * value) would tilt the result, and a tilted line tilts the layout's page frame.
 */
export function hullQuad(quads: readonly TextLayerQuad[]): TextLayerQuad {
  const first = quads[0];
  if (!first) throw new RangeError('hullQuad needs at least one quad.');
  const { dir } = edgeVector(first);
  const up: TextLayerPoint = [dir[1], -dir[0]];
  const origin = first[3];
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (let i = 0; i < quads.length; i++) {
    const q = quads[i]!;
    for (let k = 0; k < 4; k++) {
      const dx = q[k]![0] - origin[0];
      const dy = q[k]![1] - origin[1];
      const u = dx * dir[0] + dy * dir[1];
      const v = dx * up[0] + dy * up[1];
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
  }
  const at = (u: number, v: number): TextLayerPoint => [origin[0] + u * dir[0] + v * up[0], origin[1] + u * dir[1] + v * up[1]];
  return [at(minU, maxV), at(maxU, maxV), at(maxU, minV), at(minU, minV)];
}

/** The line's quad: the rectangle around its words, along the first word. */
export const lineQuad = (words: readonly TextLayerWord[]): TextLayerQuad => hullQuad(words.map((w) => w.quad));

/**
 * Lines whose direction differs from the page's dominant one by more than this (degrees) are
 * kept apart: margin notes set vertically, a rotated stamp. Page geometry holds such lines
 * correctly, but a reading-order pass over one frame would treat a vertical line as a tall
 * block across the text and cut the columns wrongly.
 */
export const OFF_AXIS_DEGREES = 30;

function angleOf(q: TextLayerQuad): number {
  return (Math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0]) * 180) / Math.PI;
}

/**
 * Splits lines into those running in the page's dominant direction (by characters) and the
 * rest, each kept in order, so a layout pass can order the main text and append the others.
 */
export function partitionByDirection(lines: readonly TextLayerWord[][]): { main: TextLayerWord[][]; offAxis: TextLayerWord[][] } {
  const { main, offAxis } = partitionWithQuads(lines);
  return { main: main.map((l) => l.words), offAxis: offAxis.map((l) => l.words) };
}

/** `partitionByDirection`, each line with its quad (`lineQuad`), worked out once per line. */
export function partitionWithQuads(lines: readonly TextLayerWord[][]): {
  main: Array<{ quad: TextLayerQuad; words: TextLayerWord[] }>;
  offAxis: Array<{ quad: TextLayerQuad; words: TextLayerWord[] }>;
} {
  const measured = lines.map((words) => {
    const quad = lineQuad(words);
    return { quad, words, angle: angleOf(quad) };
  });
  const weight = new Map<number, number>();
  // Directions bucketed to the nearest quarter turn, weighted by characters.
  for (const l of measured) {
    const bucket = ((Math.round(l.angle / 90) % 4) + 4) % 4;
    weight.set(bucket, (weight.get(bucket) ?? 0) + l.words.reduce((n, w) => n + w.text.length, 0));
  }
  const dominant = [...weight].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const main: Array<{ quad: TextLayerQuad; words: TextLayerWord[] }> = [];
  const offAxis: Array<{ quad: TextLayerQuad; words: TextLayerWord[] }> = [];
  for (const { quad, words, angle } of measured) {
    const diff = Math.abs(((angle - dominant * 90 + 540) % 360) - 180);
    (diff <= OFF_AXIS_DEGREES ? main : offAxis).push({ quad, words });
  }
  return { main, offAxis };
}
