import type { Point, Quad, Rotation } from '@folio/ocr';

/** Axis-aligned bounds of a set of points, in the points' own units. */
export interface Bounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** Smallest axis-aligned box holding every point of every quad. Undefined for no quads. */
export function boundsOf(quads: readonly Quad[]): Bounds | undefined {
  if (quads.length === 0) return undefined;
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const quad of quads) {
    for (const [x, y] of quad) {
      if (x < xmin) xmin = x;
      if (y < ymin) ymin = y;
      if (x > xmax) xmax = x;
      if (y > ymax) ymax = y;
    }
  }
  return { xmin, ymin, xmax, ymax };
}

/** Bounds of one quad. */
export function quadBounds(quad: Quad): Bounds {
  // boundsOf only returns undefined for an empty list.
  return boundsOf([quad]) as Bounds;
}

/** Integer pixel box that contains `bounds`, clamped to the page (`0..width`, `0..height`). */
export function pixelBox(bounds: Bounds, width: number, height: number): Bounds {
  return {
    xmin: clamp(Math.floor(bounds.xmin), 0, width),
    ymin: clamp(Math.floor(bounds.ymin), 0, height),
    xmax: clamp(Math.ceil(bounds.xmax), 0, width),
    ymax: clamp(Math.ceil(bounds.ymax), 0, height),
  };
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** A point divided by the page size, clamped to [0, 1]. */
export function normalizePoint([x, y]: Point, width: number, height: number): Point {
  return [clamp(x / width, 0, 1), clamp(y / height, 0, 1)];
}

/**
 * The quad's corners in image order: starting at the corner nearest the image's top-left
 * (smallest x + y), then clockwise. Quads are stored clockwise from the top-left of the text as
 * read, so on a rotated page the first stored corner is not the image's top-left; consumers that
 * expect PaddleOCR-style boxes (NIM) read `points[0]` as the top-left.
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

/**
 * Maps a point from the source page (as stored; the page was rotated `rotation` degrees clockwise
 * from upright) to the upright page, whose size is swapped for 90 and 270.
 */
export function toUprightPoint([x, y]: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [x, y];
    case 90:
      // Undo a clockwise quarter turn: the source's right edge becomes the upright top edge.
      return [y, width - x];
    case 180:
      return [width - x, height - y];
    case 270:
      return [height - y, x];
  }
}

/** Size of the upright page for a source page of `width` x `height` rotated by `rotation`. */
export function uprightSize(rotation: Rotation, width: number, height: number): { width: number; height: number } {
  return rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
}

/** A quad mapped to the upright page, corner order kept (still clockwise from the text's top-left). */
export function toUprightQuad(quad: Quad, rotation: Rotation, width: number, height: number): Quad {
  return quad.map((p) => toUprightPoint(p, rotation, width, height)) as Quad;
}

/** Mean of `values`, or `fallback` when empty. */
export function mean(values: readonly number[], fallback = 0): number {
  if (values.length === 0) return fallback;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
