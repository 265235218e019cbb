/**
 * Axis-aligned boxes: bounds of quads, unions, overlaps, and boxes as the dialects write them
 * (integer pixels, normalized points). All values are page pixels unless stated otherwise.
 */
import type { Point, Quad } from '../page.ts';
import { median } from './stats.geometry.ts';

/** Axis-aligned box; `x0 <= x1`, `y0 <= y1`, in pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** An axis-aligned box with the field names of the Nanonets and docTR answers, in the points' own units. */
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

/** Smallest axis-aligned box holding every corner of `quad`. */
export function quadToBox(quad: Quad): Box {
  // boundsOf only returns undefined for an empty list.
  const b = boundsOf([quad]) as Bounds;
  return { x0: b.xmin, y0: b.ymin, x1: b.xmax, y1: b.ymax };
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

/** Median of the boxes' heights, in pixels; `fallback` when there are none. */
export function medianHeight(boxes: readonly Box[], fallback = 0): number {
  return median(boxes.map(boxHeight), fallback);
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
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

/** A point divided by the page size, clamped to [0, 1]. */
export function normalizePoint([x, y]: Point, width: number, height: number): Point {
  return [clamp(x / width, 0, 1), clamp(y / height, 0, 1)];
}
