import type { Point, Quad } from '../page.ts';
import { minAreaRect, rectCorners, type RotatedRect } from '../geometry/index.ts';
import { Scratch } from '../scratch.ts';

/** DB post-processing settings (PP-OCR's names in brackets). */
export interface DbPostprocessOptions {
  /** Probability above which a map pixel is text [thresh]. @defaultValue 0.3 */
  threshold: number;
  /** Mean probability inside a box below which it is dropped [box_thresh]. @defaultValue 0.6 */
  boxThreshold: number;
  /** How far shrunk text kernels grow back: offset = area × ratio / perimeter [unclip_ratio]. @defaultValue 1.5 */
  unclipRatio: number;
  /** Shorter side, in map pixels, below which a box is noise [min_size]. @defaultValue 3 */
  minSize: number;
  /** Upper bound on boxes kept per page, largest-score first; PP-OCR's 1000 cut dense tables. @defaultValue 100_000 */
  maxBoxes: number;
}

/** A detected text region in probability-map pixels. */
export interface MapBox {
  /** Unclipped rectangle. */
  rect: RotatedRect;
  corners: Quad;
  /** Mean probability inside the shrunk kernel box. */
  score: number;
}

/**
 * Probability map → text boxes: threshold, 8-connected components, minimum-area rectangle of each,
 * box score, then the rectangle grown by the unclip offset (the DB model predicts shrunk kernels).
 */
export function boxesFromProbabilityMap(
  prob: Float32Array,
  width: number,
  height: number,
  opts: DbPostprocessOptions,
  scratch: Scratch = new Scratch(),
): MapBox[] {
  const n = width * height;
  // 0 = background, 1 = text not yet labelled, 2 = visited.
  const state = scratch.uint8('det.state', n);
  // Work is split into small functions called per row or per component: V8 optimizes those after a
  // few calls, while one big loop over the whole map ran interpreted on the first page (~8× slower).
  for (let y = 0; y < height; y++) thresholdRow(prob, state, y * width, width, opts.threshold);
  const stack = scratch.int32('det.stack', n);
  const pixels = scratch.int32('det.pixels', n);
  const boxes: MapBox[] = [];
  for (let y = 0; y < height; y++) {
    for (let seed = nextSeed(state, y * width, (y + 1) * width); seed >= 0; seed = nextSeed(state, seed + 1, (y + 1) * width)) {
      const count = fillComponent(state, stack, pixels, seed, width, height);
      if (count < 2) continue;
      const rect = minAreaRect(componentOutline(pixels, count, width));
      if (Math.min(rect.width, rect.height) < opts.minSize) continue;
      const score = meanInsideRect(prob, width, height, rect);
      if (score < opts.boxThreshold) continue;
      const grown = unclip(rect, opts.unclipRatio);
      if (Math.min(grown.width, grown.height) < opts.minSize + 2) continue;
      boxes.push({ rect: grown, corners: rectCorners(grown), score });
    }
  }
  growGlyphBoxes(boxes);
  if (boxes.length > opts.maxBoxes) {
    boxes.sort((a, b) => b.score - a.score);
    boxes.length = opts.maxBoxes;
  }
  return boxes;
}

function thresholdRow(prob: Float32Array, state: Uint8Array, from: number, length: number, t: number): void {
  for (let i = from; i < from + length; i++) state[i] = prob[i]! > t ? 1 : 0;
}

/** First unlabelled text pixel in [from, to), or −1. */
function nextSeed(state: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (state[i] === 1) return i;
  return -1;
}

/** 8-connected flood fill from `seed`; the component's pixel indexes go to `pixels`. Returns their count. */
function fillComponent(state: Uint8Array, stack: Int32Array, pixels: Int32Array, seed: number, width: number, height: number): number {
  let sp = 0;
  let count = 0;
  stack[sp++] = seed;
  state[seed] = 2;
  while (sp > 0) {
    const p = stack[--sp]!;
    pixels[count++] = p;
    const y = (p / width) | 0;
    const x = p - y * width;
    const ya = y > 0 ? y - 1 : 0;
    const yb = y < height - 1 ? y + 1 : y;
    const xa = x > 0 ? x - 1 : 0;
    const xb = x < width - 1 ? x + 1 : x;
    for (let yy = ya; yy <= yb; yy++) {
      for (let xx = xa, q = yy * width + xa; xx <= xb; xx++, q++) {
        if (state[q] === 1) {
          state[q] = 2;
          stack[sp++] = q;
        }
      }
    }
  }
  return count;
}

/** The leftmost and rightmost pixel of each row of a component: enough for its convex hull. */
function componentOutline(pixels: Int32Array, count: number, width: number): Point[] {
  let y0 = Infinity;
  let y1 = -1;
  for (let k = 0; k < count; k++) {
    const y = (pixels[k]! / width) | 0;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const rows = y1 - y0 + 1;
  const rowMin = new Int32Array(rows).fill(width);
  const rowMax = new Int32Array(rows).fill(-1);
  for (let k = 0; k < count; k++) {
    const p = pixels[k]!;
    const y = (p / width) | 0;
    const x = p - y * width;
    const r = y - y0;
    if (x < rowMin[r]!) rowMin[r] = x;
    if (x > rowMax[r]!) rowMax[r] = x;
  }
  const pts: Point[] = [];
  for (let r = 0; r < rows; r++) {
    if (rowMax[r]! < 0) continue;
    pts.push([rowMin[r]!, y0 + r]);
    if (rowMax[r] !== rowMin[r]) pts.push([rowMax[r]!, y0 + r]);
  }
  return pts;
}

/**
 * Boxes of lone glyphs (a quantity "1" in a table column, a page number) come out far smaller
 * than the page's lines: DB's unclip offset is area × ratio / perimeter, which barely grows a thin
 * kernel, and a near-square kernel's minimum-area rectangle can lie at any angle. The recognizer
 * then gets a crop cut tight around the glyph (or turned 45°) and reads nothing or a wrong letter.
 * A box under GLYPH_BOX × the page's typical line height in both directions becomes an upright box
 * around it grown on every side until it is that tall, the margins a line of that height gets.
 * The typical line height is the median short side of the elongated boxes (at least three).
 * Boxes of small print that are merely shorter than the page's lines are left alone: grown, the
 * zeros of a dense table lost confidence and were dropped.
 */
const GLYPH_BOX = 0.6;

export function growGlyphBoxes(boxes: MapBox[]): void {
  const lines = boxes.map((b) => b.rect).filter((r) => Math.max(r.width, r.height) >= 2 * Math.min(r.width, r.height));
  if (lines.length < 3) return;
  const heights = lines.map((r) => Math.min(r.width, r.height)).sort((a, b) => a - b);
  const lineHeight = heights[heights.length >> 1]!;
  for (const b of boxes) {
    if (Math.max(b.rect.width, b.rect.height) >= GLYPH_BOX * lineHeight) continue;
    const xs = b.corners.map((p) => p[0]);
    const ys = b.corners.map((p) => p[1]);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    const grow = Math.max(0, lineHeight - Math.min(w, h));
    b.rect = { cx: (Math.max(...xs) + Math.min(...xs)) / 2, cy: (Math.max(...ys) + Math.min(...ys)) / 2, width: w + grow, height: h + grow, axis: [1, 0] };
    b.corners = rectCorners(b.rect);
  }
}

/** Mean map value over the pixel centres inside a rotated rectangle (PP-OCR's box_score_fast). */
function meanInsideRect(prob: Float32Array, width: number, height: number, r: RotatedRect): number {
  const corners = rectCorners(r);
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const [x, y] of corners) {
    xmin = Math.min(xmin, x);
    xmax = Math.max(xmax, x);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  }
  const x0 = Math.max(0, Math.floor(xmin));
  const x1 = Math.min(width - 1, Math.ceil(xmax));
  const y0 = Math.max(0, Math.floor(ymin));
  const y1 = Math.min(height - 1, Math.ceil(ymax));
  const [ux, uy] = r.axis;
  const hw = r.width / 2 + 0.5;
  const hh = r.height / 2 + 0.5;
  let sum = 0;
  let cnt = 0;
  for (let y = y0; y <= y1; y++) {
    const dy = y - r.cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x - r.cx;
      const u = dx * ux + dy * uy;
      const v = -dx * uy + dy * ux;
      if (u >= -hw && u <= hw && v >= -hh && v <= hh) {
        sum += prob[y * width + x]!;
        cnt++;
      }
    }
  }
  return cnt === 0 ? 0 : sum / cnt;
}

/**
 * Grows a rectangle by PP-OCR's unclip offset. Offsetting a rectangle with round joins and taking
 * its minimum-area rectangle again is the same as moving each side out by the offset.
 */
export function unclip(r: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (r.width + r.height);
  const d = perimeter === 0 ? 0 : (r.width * r.height * ratio) / perimeter;
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

