/**
 * Detection recall on generated pages (real models): small and light lines next to large print are
 * found, and a page whose ink is not all covered by detected lines says so in its record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { drawPage, type TextItem } from './synthetic.page.ts';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ threads: 2 });
});
afterAll(() => engine?.close());

describe('detection recall', () => {
  it('finds small light address lines under a large receipt header', async () => {
    const address = ['12 Harbour Road, Unit 4', 'Port Louis 11302', 'Tel 0123 456 789'];
    const items: TextItem[] = [
      { text: 'CORNER MARKET', x: 30, y: 80, size: 62, font: 'DejaVu Sans Bold' },
      ...address.map((text, i) => ({ text, x: 150, y: 120 + i * 22, size: 15, color: '#8a8a8a' })),
      { text: 'MILK 2 x 1.20      2.40', x: 30, y: 230, size: 24 },
      { text: 'TOTAL              4.50', x: 30, y: 270, size: 24 },
    ];
    const page = await engine.recognize(drawPage(640, 320, items).raster);
    const text = pageToText(page);
    // Found, not necessarily spaced right: small print loses a space now and then (word splitting).
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    for (const line of address) expect(squeeze(text)).toContain(squeeze(line));
    expect(text).toContain('CORNER MARKET');
    expect(page.warnings ?? []).toEqual([]);
  });
});
