import { describe, expect, it } from 'vitest';
import type { Point, Quad, Rotation } from '../page.ts';
import { convexHull, minAreaRect } from './hull.geometry.ts';
import { fromUpright, orderQuad, quadSize, rectCorners, subQuad, toUpright, uprightSize } from './quad.geometry.ts';
import { unclip } from '../detection/det.postprocess.ts';

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

  it('unclips a box by area × ratio / perimeter on every side', () => {
    const r = unclip({ cx: 0, cy: 0, width: 100, height: 10, axis: [1, 0] }, 1.5);
    const d = (100 * 10 * 1.5) / 220;
    expect(r.width).toBeCloseTo(100 + 2 * d);
    expect(r.height).toBeCloseTo(10 + 2 * d);
  });
});
