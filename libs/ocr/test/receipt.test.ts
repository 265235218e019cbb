/**
 * A generated receipt (real models): a large bold header, small light address lines under it and
 * label/amount rows in a monospace font read exactly. Without the recognizer's crop margin
 * (`recCropMargin: 0`, the detector's tight boxes) this page read "HARDWARE T RADING",
 * "811O0JOHOR BAHRU" and "ROUNDING - 0.01".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { drawPage, type TextItem } from './synthetic.page.ts';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ threads: 2 });
});
afterAll(() => engine?.close());

const rows = [
  ['SUB TOTAL', '80.91'],
  ['DISCOUNT', '0.00'],
  ['ROUNDING', '-0.01'],
  ['TOTAL GST', '4.58'],
  ['CASH', '100.00'],
  ['CHANGE', '19.10'],
] as const;

describe('receipt header, address and amounts', () => {
  it.each([13, 16])('reads every line exactly with %i px body text', async (size) => {
    const items: TextItem[] = [
      { text: 'HARDWARE TRADING SDN BHD', x: 20, y: 44, size: 30, font: 'DejaVu Sans Bold' },
      { text: 'NO 12, JALAN MERANTI 3, TAMAN SERI', x: 60, y: 44 + size * 1.8, size, color: '#777' },
      { text: '81100 JOHOR BAHRU', x: 60, y: 44 + size * 3.3, size, color: '#777' },
      ...rows.flatMap(([label, value], i) => [
        { text: label, x: 20, y: 140 + i * size * 1.8, size, color: '#555', font: 'DejaVu Sans Mono' },
        { text: value, x: 20 + size * 16, y: 140 + i * size * 1.8, size, color: '#555', font: 'DejaVu Sans Mono' },
      ]),
    ];
    const page = await engine.recognize(drawPage(500, Math.round(160 + 7 * size * 1.8), items).raster);
    expect(pageToText(page).split('\n')).toEqual([
      'HARDWARE TRADING SDN BHD',
      'NO 12, JALAN MERANTI 3, TAMAN SERI',
      '81100 JOHOR BAHRU',
      ...rows.map(([label, value]) => `${label} ${value}`),
    ]);
  });
});
