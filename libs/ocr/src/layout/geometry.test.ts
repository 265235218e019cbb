import { describe, expect, it } from 'vitest';
import type { Quad } from '../page.ts';
import {
  boxToQuad,
  complementIntervals,
  intersectIntervals,
  median,
  medianHeight,
  mergeIntervals,
  overlapX,
  overlapY,
  overlaps,
  quadAngle,
  quadLength,
  quadThickness,
  quadToBox,
  quantile,
  rotateQuad,
  unionBoxes,
} from './geometry.ts';

const q: Quad = [
  [10, 20],
  [110, 20],
  [110, 40],
  [10, 40],
];

describe('layout geometry', () => {
  it('turns quads into boxes and back', () => {
    expect(quadToBox(q)).toEqual({ x0: 10, y0: 20, x1: 110, y1: 40 });
    expect(boxToQuad(quadToBox(q))).toEqual(q);
  });

  it('measures a rotated quad along and across its text direction', () => {
    const r = rotateQuad(q, Math.PI / 6, [60, 30]);
    expect(quadAngle(r)).toBeCloseTo(Math.PI / 6, 10);
    expect(quadLength(r)).toBeCloseTo(100, 10);
    expect(quadThickness(r)).toBeCloseTo(20, 10);
    const b = quadToBox(r);
    expect(b.y1 - b.y0).toBeGreaterThan(20);
  });

  it('unions and overlaps boxes', () => {
    const a = { x0: 0, y0: 0, x1: 10, y1: 10 };
    const b = { x0: 5, y0: 8, x1: 20, y1: 30 };
    const c = { x0: 10, y0: 0, x1: 12, y1: 5 };
    expect(unionBoxes([a, b, c])).toEqual({ x0: 0, y0: 0, x1: 20, y1: 30 });
    expect(overlapX(a, b)).toBe(5);
    expect(overlapY(a, b)).toBe(2);
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(a, c)).toBe(false);
    expect(() => unionBoxes([])).toThrow();
  });

  it('takes medians and quantiles without reordering the input', () => {
    const v = [5, 1, 4, 2];
    expect(median(v)).toBe(3);
    expect(v).toEqual([5, 1, 4, 2]);
    expect(median([7, 1, 3])).toBe(3);
    expect(median([], 9)).toBe(9);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(medianHeight([quadToBox(q), { x0: 0, y0: 0, x1: 1, y1: 40 }, { x0: 0, y0: 0, x1: 1, y1: 10 }])).toBe(20);
  });

  it('merges, complements and intersects intervals', () => {
    const m = mergeIntervals([
      { a: 5, b: 8 },
      { a: 0, b: 2 },
      { a: 7, b: 10 },
      { a: 2, b: 3 },
    ]);
    expect(m).toEqual([
      { a: 0, b: 3 },
      { a: 5, b: 10 },
    ]);
    expect(complementIntervals(m, -1, 12)).toEqual([
      { a: -1, b: 0 },
      { a: 3, b: 5 },
      { a: 10, b: 12 },
    ]);
    expect(intersectIntervals([{ a: 0, b: 4 }, { a: 6, b: 9 }], [{ a: 3, b: 7 }])).toEqual([
      { a: 3, b: 4 },
      { a: 6, b: 7 },
    ]);
  });
});
