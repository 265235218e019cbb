/**
 * Pure geometry for the layout stage: axis-aligned boxes, quads, rotation, medians.
 * All values are page pixels (origin top-left, x right, y down) unless stated otherwise.
 */
import type { Point, Quad } from '../page.ts';

/** Axis-aligned box; `x0 <= x1`, `y0 <= y1`, in pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A closed interval on one axis, `a <= b`. */
export interface Interval {
  a: number;
  b: number;
}

/** Smallest axis-aligned box holding every corner of `quad`. */
export function quadToBox(quad: Quad): Box {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** The box as a quad, clockwise from the top-left. */
export function boxToQuad(box: Box): Quad {
  return [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x1, box.y1],
    [box.x0, box.y1],
  ];
}

/** Smallest box holding all `boxes`; throws on an empty list (a caller bug). */
export function unionBoxes(boxes: readonly Box[]): Box {
  const first = boxes[0];
  if (!first) throw new Error('unionBoxes: no boxes');
  let { x0, y0, x1, y1 } = first;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x0);
    y0 = Math.min(y0, b.y0);
    x1 = Math.max(x1, b.x1);
    y1 = Math.max(y1, b.y1);
  }
  return { x0, y0, x1, y1 };
}

export const boxWidth = (b: Box): number => b.x1 - b.x0;
export const boxHeight = (b: Box): number => b.y1 - b.y0;
export const centerY = (b: Box): number => (b.y0 + b.y1) / 2;

/** Length of the overlap of the two boxes' x ranges (0 when apart). */
export function overlapX(a: Box, b: Box): number {
  return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0));
}

/** Length of the overlap of the two boxes' y ranges (0 when apart). */
export function overlapY(a: Box, b: Box): number {
  return Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
}

/** True when the boxes share area (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return overlapX(a, b) > 0 && overlapY(a, b) > 0;
}

/** Median of `values`; `fallback` for an empty list. Does not modify the input. */
export function median(values: readonly number[], fallback = 0): number {
  if (values.length === 0) return fallback;
  const s = [...values].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Value at quantile `q` (0..1, nearest rank) of `values`; `fallback` when empty. */
export function quantile(values: readonly number[], q: number, fallback = 0): number {
  if (values.length === 0) return fallback;
  const s = [...values].sort((p, r) => p - r);
  const i = Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))));
  return s[i] as number;
}

/** Median of the boxes' heights, in pixels; `fallback` when there are none. */
export function medianHeight(boxes: readonly Box[], fallback = 0): number {
  return median(boxes.map(boxHeight), fallback);
}

/** Rotates `p` by `radians` (positive = clockwise on screen, since y points down) about `c`. */
export function rotatePoint(p: Point, radians: number, c: Point): Point {
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const dx = p[0] - c[0];
  const dy = p[1] - c[1];
  return [c[0] + dx * cos - dy * sin, c[1] + dx * sin + dy * cos];
}

/** Rotates every corner of `quad` by `radians` about `c`. */
export function rotateQuad(quad: Quad, radians: number, c: Point): Quad {
  return [rotatePoint(quad[0], radians, c), rotatePoint(quad[1], radians, c), rotatePoint(quad[2], radians, c), rotatePoint(quad[3], radians, c)];
}

/**
 * Direction the text of `quad` runs in, radians (0 = left to right, positive = clockwise on screen):
 * the mean of its top and bottom edge directions.
 */
export function quadAngle(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  const dx = p1[0] - p0[0] + (p2[0] - p3[0]);
  const dy = p1[1] - p0[1] + (p2[1] - p3[1]);
  return Math.atan2(dy, dx);
}

/** Length of the quad's reading direction (mean of top and bottom edges), in pixels. */
export function quadLength(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  return (Math.hypot(p1[0] - p0[0], p1[1] - p0[1]) + Math.hypot(p2[0] - p3[0], p2[1] - p3[1])) / 2;
}

/** Height of the quad across its reading direction (mean of left and right edges), in pixels. */
export function quadThickness(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  return (Math.hypot(p3[0] - p0[0], p3[1] - p0[1]) + Math.hypot(p2[0] - p1[0], p2[1] - p1[1])) / 2;
}

/**
 * Merges overlapping or touching intervals; returns them sorted by start.
 * Used for projections of boxes onto one axis.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const s = [...intervals].sort((p, q) => p.a - q.a);
  const out: Interval[] = [];
  for (const iv of s) {
    const last = out[out.length - 1];
    if (last && iv.a <= last.b) last.b = Math.max(last.b, iv.b);
    else out.push({ a: iv.a, b: iv.b });
  }
  return out;
}

/** The parts of `[lo, hi]` not covered by `covered` (which must be merged and sorted). */
export function complementIntervals(covered: readonly Interval[], lo: number, hi: number): Interval[] {
  const out: Interval[] = [];
  let at = lo;
  for (const iv of covered) {
    if (iv.a > at) out.push({ a: at, b: Math.min(iv.a, hi) });
    at = Math.max(at, iv.b);
    if (at >= hi) break;
  }
  if (at < hi) out.push({ a: at, b: hi });
  return out.filter((iv) => iv.b > iv.a);
}

/** Pairwise intersection of two sorted, disjoint interval lists. */
export function intersectIntervals(p: readonly Interval[], q: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length && j < q.length) {
    const u = p[i] as Interval;
    const v = q[j] as Interval;
    const a = Math.max(u.a, v.a);
    const b = Math.min(u.b, v.b);
    if (b > a) out.push({ a, b });
    if (u.b < v.b) i++;
    else j++;
  }
  return out;
}
