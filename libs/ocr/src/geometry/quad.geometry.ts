/**
 * Quads: corner order, size, sub-quads, rotation and text direction. All values are page pixels
 * (origin top-left, x right, y down) unless stated otherwise.
 */
import type { Point, Quad } from '../page.ts';
import type { RotatedRect } from './hull.geometry.ts';

/** The four corners of a rotated rectangle, in no particular reading order. */
export function rectCorners(r: RotatedRect): Quad {
  const [ux, uy] = r.axis;
  const hx = (ux * r.width) / 2;
  const hy = (uy * r.width) / 2;
  const vx = (-uy * r.height) / 2;
  const vy = (ux * r.height) / 2;
  return [
    [r.cx - hx - vx, r.cy - hy - vy],
    [r.cx + hx - vx, r.cy + hy - vy],
    [r.cx + hx + vx, r.cy + hy + vy],
    [r.cx - hx + vx, r.cy - hy + vy],
  ];
}

/**
 * Orders four corners as top-left, top-right, bottom-right, bottom-left for text that runs left to
 * right (PP-OCR's rule: the two leftmost points are the left side, the upper of each pair is the top).
 * Unlike {@link imageOrderQuad} it re-sorts the corners, so it is for unordered detector corners.
 */
export function orderQuad(points: Quad): Quad {
  const byX = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [l0, l1, r0, r1] = byX as [Point, Point, Point, Point];
  const [tl, bl] = l0[1] <= l1[1] ? [l0, l1] : [l1, l0];
  const [tr, br] = r0[1] <= r1[1] ? [r0, r1] : [r1, r0];
  return [tl, tr, br, bl];
}

/**
 * The quad's corners in image order: starting at the corner nearest the image's top-left
 * (smallest x + y), then clockwise. Quads are stored clockwise from the top-left of the text as
 * read, so on a rotated page the first stored corner is not the image's top-left; consumers that
 * expect PaddleOCR-style boxes (NIM) read `points[0]` as the top-left. The cyclic order is kept.
 */
export function imageOrderQuad(quad: Quad): Quad {
  let start = 0;
  let best = Infinity;
  quad.forEach(([x, y], i) => {
    if (x + y < best - 1e-9) {
      best = x + y;
      start = i;
    }
  });
  return [0, 1, 2, 3].map((k) => quad[(start + k) % 4]) as Quad;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Reading width (top and bottom edges) and height (left and right edges) of a quad, the larger of each pair. */
export function quadSize(q: Quad): { width: number; height: number } {
  return {
    width: Math.max(distance(q[0], q[1]), distance(q[3], q[2])),
    height: Math.max(distance(q[0], q[3]), distance(q[1], q[2])),
  };
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
 * Direction the text of `quad` runs in, radians (0 = left to right, positive = clockwise on screen):
 * the mean of its top and bottom edge directions.
 */
export function quadAngle(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  const dx = p1[0] - p0[0] + (p2[0] - p3[0]);
  const dy = p1[1] - p0[1] + (p2[1] - p3[1]);
  return Math.atan2(dy, dx);
}

/** Point at fractions (u along the reading direction, v downwards) of a quad, bilinear. */
export function quadPoint(q: Quad, u: number, v: number): Point {
  const tx = q[0][0] + (q[1][0] - q[0][0]) * u;
  const ty = q[0][1] + (q[1][1] - q[0][1]) * u;
  const bx = q[3][0] + (q[2][0] - q[3][0]) * u;
  const by = q[3][1] + (q[2][1] - q[3][1]) * u;
  return [tx + (bx - tx) * v, ty + (by - ty) * v];
}

/** The part of a quad between fractions u0 and u1 of its reading width. */
export function subQuad(q: Quad, u0: number, u1: number): Quad {
  return [quadPoint(q, u0, 0), quadPoint(q, u1, 0), quadPoint(q, u1, 1), quadPoint(q, u0, 1)];
}

/** Every corner mapped by `f`, order kept. */
export function mapQuad(q: Quad, f: (p: Point) => Point): Quad {
  return [f(q[0]), f(q[1]), f(q[2]), f(q[3])];
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
