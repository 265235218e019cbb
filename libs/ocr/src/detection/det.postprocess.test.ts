import { describe, expect, it } from 'vitest';
import { boxesFromProbabilityMap, unclip, type DbPostprocessOptions } from './det.postprocess.ts';

const opts: DbPostprocessOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, maxBoxes: 100_000 };

function fill(map: Float32Array, width: number, x0: number, y0: number, x1: number, y1: number, v: number) {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) map[y * width + x] = v;
}

describe('boxesFromProbabilityMap', () => {
  it('turns text kernels into unclipped rectangles', () => {
    const w = 200;
    const h = 100;
    const map = new Float32Array(w * h);
    fill(map, w, 20, 20, 120, 30, 0.9);
    fill(map, w, 20, 60, 60, 70, 0.4); // weak: mean probability under box threshold
    const boxes = boxesFromProbabilityMap(map, w, h, opts);
    expect(boxes).toHaveLength(1);
    const r = boxes[0]!.rect;
    const long = Math.max(r.width, r.height);
    const short = Math.min(r.width, r.height);
    // Kernel 99 × 9 (pixel centres), grown by 99·9·1.5 / 216 ≈ 6.2 px on each side.
    expect(long).toBeCloseTo(99 + 2 * ((99 * 9 * 1.5) / 216), 1);
    expect(short).toBeCloseTo(9 + 2 * ((99 * 9 * 1.5) / 216), 1);
    expect(boxes[0]!.score).toBeCloseTo(0.9, 2);
  });

  it('keeps more than a thousand boxes (dense tables)', () => {
    const w = 800;
    const h = 600;
    const map = new Float32Array(w * h);
    let n = 0;
    for (let y = 2; y + 6 < h; y += 12)
      for (let x = 2; x + 10 < w; x += 16) {
        fill(map, w, x, y, x + 10, y + 6, 0.95);
        n++;
      }
    expect(n).toBeGreaterThan(1000);
    expect(boxesFromProbabilityMap(map, w, h, opts)).toHaveLength(n);
  });

  it('drops specks smaller than the minimum size', () => {
    const w = 50;
    const map = new Float32Array(w * w);
    fill(map, w, 10, 10, 12, 12, 1);
    expect(boxesFromProbabilityMap(map, w, w, opts)).toHaveLength(0);
  });
});

describe('unclip', () => {
  it('unclips a box by area × ratio / perimeter on every side', () => {
    const r = unclip({ cx: 0, cy: 0, width: 100, height: 10, axis: [1, 0] }, 1.5);
    const d = (100 * 10 * 1.5) / 220;
    expect(r.width).toBeCloseTo(100 + 2 * d);
    expect(r.height).toBeCloseTo(10 + 2 * d);
  });
});
