import { describe, expect, it } from 'vitest';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import { toLine } from '../page.assembly.ts';
import { cropInputWidth, cropOf } from './rec.model.ts';
import { cropMargins } from './crop.clearance.ts';
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
    const crop = cropOf(page, box, 1);
    expect(crop.quad).toEqual(box);
    expect(crop.inset).toBe(0);
    expect(crop.width).toBe(cropInputWidth(box));
  });

  it('grows the box by the margin on every side', () => {
    const crop = cropOf(page, box, 1, { across: 2, along: 2 });
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
    const crop = cropOf(page, turned, 1, { across: 2, along: 2 });
    expect(crop.quad[0][0]).toBeCloseTo(62, 6);
    expect(crop.quad[0][1]).toBeCloseTo(98, 6);
    expect(crop.quad[2][0]).toBeCloseTo(38, 6);
    expect(crop.quad[2][1]).toBeCloseTo(302, 6);
  });
});

describe('cropMargins', () => {
  const at = (x0: number, y0: number, x1: number, y1: number): Quad => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];

  it('gives a lone box the share of its thickness on every side', () => {
    expect(cropMargins([box], 0.1)).toEqual([{ across: 2, along: 2 }]);
  });

  it('takes at most half the paper to the next line above or below, and to the next word', () => {
    // Dense lines 2 px apart; a word 1 px to the right on the first line.
    const [first, second, word] = cropMargins([at(0, 0, 100, 20), at(0, 22, 100, 42), at(101, 0, 160, 20)], 0.1);
    expect(first).toEqual({ across: 1, along: 0.5 });
    expect(second).toEqual({ across: 1, along: 2 });
    expect(word).toEqual({ across: 2, along: 0.5 });
  });

  it('gives a lone glyph (a near-square box) no margin', () => {
    expect(cropMargins([at(0, 0, 30, 20)], 0.1)).toEqual([{ across: 0, along: 0 }]);
  });

  it('gives overlapping boxes no margin on the axis they share', () => {
    const [a] = cropMargins([at(0, 0, 100, 20), at(0, 15, 100, 35)], 0.1);
    expect(a!.across).toBe(0);
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
