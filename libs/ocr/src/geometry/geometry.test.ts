import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Point, Quad, Rotation } from '../page.ts';
import {
  boxToQuad,
  complementIntervals,
  convexHull,
  fromUpright,
  imageOrderQuad,
  intersectIntervals,
  median,
  medianHeight,
  mergeIntervals,
  minAreaRect,
  orderQuad,
  overlapX,
  overlapY,
  overlaps,
  pixelBox,
  quadAngle,
  quadLength,
  quadSize,
  quadThickness,
  quadToBox,
  quantile,
  rectCorners,
  rotateQuad,
  subQuad,
  toUpright,
  unionBoxes,
  uprightSize,
} from './index.ts';

const rotate = (p: Point, deg: number): Point => {
  const r = (deg * Math.PI) / 180;
  return [p[0] * Math.cos(r) - p[1] * Math.sin(r), p[0] * Math.sin(r) + p[1] * Math.cos(r)];
};

describe('convexHull', () => {
  it('keeps the corners of a filled square and drops inner points', () => {
    const pts: Point[] = [];
    for (let x = 0; x <= 4; x++) for (let y = 0; y <= 4; y++) pts.push([x, y]);
    expect(convexHull(pts)).toHaveLength(4);
  });
});

describe('minAreaRect', () => {
  it('measures an axis-aligned rectangle', () => {
    const r = minAreaRect([[10, 20], [110, 20], [110, 50], [10, 50], [60, 35]]);
    expect(Math.max(r.width, r.height)).toBeCloseTo(100, 5);
    expect(Math.min(r.width, r.height)).toBeCloseTo(30, 5);
    expect([r.cx, r.cy]).toEqual([60, 35]);
  });

  it('finds the rotation of a tilted rectangle', () => {
    const corners: Point[] = [[0, 0], [200, 0], [200, 40], [0, 40]].map((p) => rotate(p as Point, 25));
    const r = minAreaRect(corners);
    expect(r.width * r.height).toBeCloseTo(8000, 3);
    const angle = (Math.atan2(r.axis[1], r.axis[0]) * 180) / Math.PI;
    expect([25, -155, 115, -65].some((a) => Math.abs(angle - a) < 1e-6)).toBe(true);
  });
});

describe('orderQuad', () => {
  it('orders corners clockwise from the top-left', () => {
    const q: Quad = [[100, 50], [0, 0], [0, 50], [100, 0]];
    expect(orderQuad(q)).toEqual([[0, 0], [100, 0], [100, 50], [0, 50]]);
  });

  it('orders a slightly tilted box', () => {
    const r = { cx: 100, cy: 100, width: 200, height: 30, axis: rotate([1, 0], 5) };
    const [tl, tr, br, bl] = orderQuad(rectCorners(r));
    expect(tl[0]).toBeLessThan(tr[0]);
    expect(tl[1]).toBeLessThan(bl[1]);
    expect(br[0]).toBeGreaterThan(bl[0]);
  });
});

describe('upright frame', () => {
  const W = 300;
  const H = 200;
  it.each([0, 90, 180, 270] as Rotation[])('round-trips points for %i°', (rot) => {
    const p: Point = [37, 81];
    const up = toUpright(p, rot, W, H);
    const size = uprightSize(rot, W, H);
    expect(up[0]).toBeGreaterThanOrEqual(0);
    expect(up[0]).toBeLessThanOrEqual(size.width);
    expect(fromUpright(up, rot, W, H)).toEqual(p);
  });

  it('maps the top-left of an upright page turned 90° clockwise to the source top-right', () => {
    expect(fromUpright([0, 0], 90, W, H)).toEqual([W, 0]);
    expect(fromUpright([0, 0], 270, W, H)).toEqual([0, H]);
    expect(fromUpright([0, 0], 180, W, H)).toEqual([W, H]);
  });
});

describe('quads', () => {
  it('cuts a word out of a line by its reading fractions', () => {
    const line: Quad = [[0, 0], [100, 0], [100, 20], [0, 20]];
    expect(subQuad(line, 0.25, 0.5)).toEqual([[25, 0], [50, 0], [50, 20], [25, 20]]);
    expect(quadSize(line)).toEqual({ width: 100, height: 20 });
  });
});

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

describe('dialect geometry', () => {
  it('imageOrderQuad starts at the image top-left corner and keeps the clockwise order', () => {
    // Text read top to bottom (page turned 90 degrees clockwise): stored from the text's top-left.
    const asRead: Quad = [[500, 50], [500, 250], [470, 250], [470, 50]];
    expect(imageOrderQuad(asRead)).toEqual([[470, 50], [500, 50], [500, 250], [470, 250]]);
    const upright: Quad = [[1, 2], [9, 2], [9, 5], [1, 5]];
    expect(imageOrderQuad(upright)).toEqual(upright);
  });

  it('toUpright maps the corners of a turned page onto the upright page', () => {
    // A 600 x 400 image of a 400 x 600 page turned a quarter clockwise.
    expect(toUpright([600, 0], 90, 600, 400)).toEqual([0, 0]);
    expect(toUpright([0, 400], 90, 600, 400)).toEqual([400, 600]);
    expect(toUpright([0, 0], 180, 600, 400)).toEqual([600, 400]);
    expect(toUpright([0, 400], 270, 600, 400)).toEqual([0, 0]);
  });

  it('every point of the source page lands inside the upright page', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Rotation>(0, 90, 180, 270),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rotation, w, h, fx, fy) => {
          const [x, y] = toUpright([fx * w, fy * h], rotation, w, h);
          const size = uprightSize(rotation, w, h);
          return x >= -1e-6 && y >= -1e-6 && x <= size.width + 1e-6 && y <= size.height + 1e-6;
        },
      ),
    );
  });

  it('pixelBox rounds outwards and clamps to the page', () => {
    expect(pixelBox({ xmin: -3.2, ymin: 1.7, xmax: 10.1, ymax: 99.5 }, 10, 50)).toEqual({ xmin: 0, ymin: 1, xmax: 10, ymax: 50 });
  });
});

describe('@folio/ocr/geometry', () => {
  it('imports only its own files and the page types, so the dialects load no onnxruntime through it', () => {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'));
    expect(sources).toContain('index.ts');
    for (const name of sources) {
      const specifiers = [...readFileSync(path.join(dir, name), 'utf8').matchAll(/ from '([^']+)'/g)].map((m) => m[1]);
      expect(specifiers.filter((s) => !s?.startsWith('./') && s !== '../page.ts'), name).toEqual([]);
    }
    expect(readFileSync(path.join(dir, '../page.ts'), 'utf8')).not.toMatch(/^import /m);
  });
});
