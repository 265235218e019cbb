import { describe, expect, it } from 'vitest';
import { halvingPlan } from '../detection/det.model.ts';
import type { Quad } from '../page.ts';
import { halvedToTensor, resizeToTensor } from './resize.image.ts';
import { warpQuadToTensor } from './warp.image.ts';

const MEAN = [0, 0, 0] as const;
const STD = [1, 1, 1] as const;

describe('halvedToTensor', () => {
  it('averages 2×2 blocks into BGR planes and repeats the last column and row into the padding', () => {
    // 4 × 2 RGB: red ramps along x, green is 255 − red, blue is constant 10.
    const data = new Uint8Array(4 * 2 * 3);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 4; x++) data.set([x * 60, 255 - x * 60, 10], (y * 4 + x) * 3);
    const out = new Float32Array(3 * 3 * 2);
    expect(halvedToTensor({ data, width: 4, height: 2, channels: 3 }, 1, 3, 2, MEAN, STD, out)).toEqual({ width: 2, height: 1 });
    const plane = 6;
    const at = (p: number, x: number, y: number) => out[p * plane + y * 3 + x]! * 255;
    // Block means: red 30 and 150, green 225 and 105, blue 10; planes are B, G, R.
    expect([at(2, 0, 0), at(2, 1, 0)].map(Math.round)).toEqual([30, 150]);
    expect([at(1, 0, 0), at(1, 1, 0)].map(Math.round)).toEqual([225, 105]);
    expect(Math.round(at(0, 0, 0))).toBe(10);
    // Padding: column 2 repeats column 1, row 1 repeats row 0.
    expect(Math.round(at(2, 2, 0))).toBe(150);
    expect(Math.round(at(2, 1, 1))).toBe(150);
  });

  it('matches resizeToTensor on a page that halves exactly', () => {
    const data = new Uint8Array(64 * 32);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
    const page = { data, width: 64, height: 32, channels: 1 as const };
    const out = new Float32Array(3 * 32 * 16);
    expect(halvedToTensor(page, 1, 32, 16, MEAN, STD, out)).toEqual({ width: 32, height: 16 });
    const b = resizeToTensor(page, 32, 16, MEAN, STD);
    // resizeToTensor rounds its halved image to whole levels: within half a level.
    let diff = 0;
    for (let i = 0; i < b.length; i++) diff = Math.max(diff, Math.abs(out[i]! - b[i]!));
    expect(diff).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });
});

describe('halvingPlan', () => {
  const caps = { maxSide: 1760, minSide: 1280 };
  it('pads 300-dpi A4 halved once instead of resampling it', () => {
    expect(halvingPlan(2481, 3508, caps)).toEqual({ halvings: 1, width: 1248, height: 1760 });
  });
  it('pads a page that already fits to the next multiple of 32', () => {
    expect(halvingPlan(946, 1670, caps)).toEqual({ halvings: 0, width: 960, height: 1696 });
  });
  it('resamples pages that would lose more than a tenth or need enlarging', () => {
    expect(halvingPlan(1700, 2200, caps)).toBeUndefined();
    expect(halvingPlan(1100, 340, caps)).toBeUndefined();
  });
});

describe('warpQuadToTensor', () => {
  it('samples an upright rectangle like any other quad (separable fast path)', () => {
    const data = new Uint8Array(300 * 80 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const page = { data, width: 300, height: 80, channels: 3 as const };
    for (const [w, h] of [[120, 48], [40, 12]] as const) {
      const upright: Quad = [[10.3, 5.2], [290.7, 5.2], [290.7, 75.9], [10.3, 75.9]];
      // A skew far below a pixel takes the general path.
      const skewed: Quad = [[10.3, 5.2], [290.7, 5.205], [290.7, 75.9], [10.3, 75.9]];
      const a = new Float32Array(3 * w * h);
      const b = new Float32Array(3 * w * h);
      warpQuadToTensor(page, upright, a, 0, w, h, w, w * h);
      warpQuadToTensor(page, skewed, b, 0, w, h, w, w * h);
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
      expect(diff).toBeLessThan(0.01);
    }
  });
});
