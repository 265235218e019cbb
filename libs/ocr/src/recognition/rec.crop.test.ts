import { describe, expect, it } from 'vitest';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import { toLine } from '../page.assembly.ts';
import { cropInputWidth, cropOf } from './rec.model.ts';
import { measureGlyphs } from './word.split.ts';

const page: Raster = { width: 400, height: 100, channels: 1, data: new Uint8Array(400 * 100) };
/** A 200 × 20 px box, corners clockwise from the text's top-left. */
const box: Quad = [
  [100, 40],
  [300, 40],
  [300, 60],
  [100, 60],
];

describe('cropOf', () => {
  it('reads the detected box itself without a margin', () => {
    const crop = cropOf(page, box, { widthScale: 1, cropMargin: 0 });
    expect(crop.quad).toEqual(box);
    expect(crop.inset).toBe(0);
    expect(crop.width).toBe(cropInputWidth(box));
  });

  it('grows the box by the margin × its height on every side', () => {
    const crop = cropOf(page, box, { widthScale: 1, cropMargin: 0.1 });
    const rounded = crop.quad.map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
    expect(rounded).toEqual([
      [98, 38],
      [302, 38],
      [302, 62],
      [98, 62],
    ]);
    // 204 × 24 px at the recognizer's 48 px: 408 columns, 4 of them margin on each side.
    expect(crop.width).toBe(408);
    expect(crop.inset).toBeCloseTo(4, 6);
  });

  it('follows a turned box along its own axes', () => {
    const turned: Quad = [
      [60, 100],
      [60, 300],
      [40, 300],
      [40, 100],
    ];
    const crop = cropOf(page, turned, { widthScale: 1, cropMargin: 0.1 });
    expect(crop.quad[0][0]).toBeCloseTo(62, 6);
    expect(crop.quad[0][1]).toBeCloseTo(98, 6);
    expect(crop.quad[2][0]).toBeCloseTo(38, 6);
    expect(crop.quad[2][1]).toBeCloseTo(302, 6);
  });
});

describe('toLine with a crop margin', () => {
  it('maps word spans from crop columns back onto the detected box', () => {
    // 408 columns, 4 of margin each side; ink from column 4 to 404 (the box), one word "ab".
    const ink = new Uint8Array(408);
    ink.fill(1, 4, 404);
    const chars = [
      { text: 'a', t0: 1, t1: 2, prob: 0.9, space: false, spaceBefore: 0 },
      { text: 'b', t0: 48, t1: 49, prob: 0.9, space: false, spaceBefore: 0 },
    ];
    const glyphs = measureGlyphs(chars, ink, 8, 408);
    const line = toLine(box, glyphs, 1000, 4)!;
    expect(line.text).toBe('ab');
    expect(line.quad).toEqual(box);
    const [w] = line.words;
    expect(w!.quad[0][0]).toBeCloseTo(100, 6);
    expect(w!.quad[1][0]).toBeCloseTo(300, 6);
  });
});
