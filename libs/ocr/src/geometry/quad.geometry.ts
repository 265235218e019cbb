import type { Point, Quad, Rotation } from '../page.ts';
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
 */
export function orderQuad(points: Quad): Quad {
  const byX = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [l0, l1, r0, r1] = byX as [Point, Point, Point, Point];
  const [tl, bl] = l0[1] <= l1[1] ? [l0, l1] : [l1, l0];
  const [tr, br] = r0[1] <= r1[1] ? [r0, r1] : [r1, r0];
  return [tl, tr, br, bl];
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

/** Axis-aligned bounds of a set of quads. */
export function bounds(quads: readonly Quad[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const q of quads)
    for (const [x, y] of q) {
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
  return { x0, y0, x1, y1 };
}

/** Axis-aligned rectangle as a quad, clockwise from top-left. */
export function rectQuad(x0: number, y0: number, x1: number, y1: number): Quad {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/**
 * Maps a point of the source page (width × height, rotated `rotation` degrees clockwise from
 * upright) into the upright page's pixels.
 */
export function toUpright(p: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [p[0], p[1]];
    case 90:
      return [p[1], width - p[0]];
    case 180:
      return [width - p[0], height - p[1]];
    case 270:
      return [height - p[1], p[0]];
  }
}

/** Inverse of {@link toUpright}: an upright-page point back into the source page's pixels. */
export function fromUpright(p: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [p[0], p[1]];
    case 90:
      return [width - p[1], p[0]];
    case 180:
      return [width - p[0], height - p[1]];
    case 270:
      return [p[1], height - p[0]];
  }
}

export function mapQuad(q: Quad, f: (p: Point) => Point): Quad {
  return [f(q[0]), f(q[1]), f(q[2]), f(q[3])];
}

/** Size of the upright page for a source page of `width × height` rotated by `rotation`. */
export function uprightSize(rotation: Rotation, width: number, height: number): { width: number; height: number } {
  return rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
}
