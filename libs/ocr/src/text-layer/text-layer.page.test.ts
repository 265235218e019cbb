import { describe, expect, it } from 'vitest';
import type { Line, OcrPage, Quad } from '../page.ts';
import { dropCovered, maskToRegions, ocrPage, readRegions, textLayerPage } from './text-layer.page.ts';

const box = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const tl = (text: string, x: number, y: number) => ({ text, quad: box(x, y, text.length * 10, 20) });
const line = (...words: Array<{ text: string; quad: Quad }>) => ({ quad: box(words[0]!.quad[0][0], words[0]!.quad[0][1], 400, 20), words });
const ocrLine = (text: string, x: number, y: number): Line => {
  const quad = box(x, y, text.length * 10, 20);
  return { text, confidence: 0.9, quad, words: [{ text, confidence: 0.9, quad }] };
};

describe('textLayerPage', () => {
  it('builds a canonical page in reading order, words marked text_layer with confidence 1', () => {
    const page = textLayerPage({
      width: 1000,
      height: 1400,
      dpi: 150,
      source: 'text_layer',
      main: [line(tl('Second', 100, 200), tl('line', 170, 200)), line(tl('First', 100, 100), tl('line', 160, 100))],
      offAxis: [],
    });
    expect(page).toMatchObject({ width: 1000, height: 1400, dpi: 150, rotation: 0, source: 'text_layer' });
    expect(page.sourceReason).toBeUndefined();
    const lines = page.blocks.flatMap((b) => b.lines);
    expect(lines.map((l) => l.text)).toEqual(['First line', 'Second line']);
    expect(lines.flatMap((l) => l.words).every((w) => w.origin === 'text_layer' && w.confidence === 1)).toBe(true);
  });

  it('merges OCR lines of image regions into the reading order of a mixed page', () => {
    const page = textLayerPage({
      width: 1000,
      height: 1400,
      dpi: 150,
      source: 'mixed',
      reason: 'image_regions',
      main: [line(tl('Heading', 100, 100))],
      offAxis: [],
      ocrLines: [{ ...ocrLine('Figure', 100, 300), words: [{ text: 'Figure', confidence: 0.9, quad: box(100, 300, 60, 20), origin: 'ocr' }] }],
    });
    expect(page).toMatchObject({ source: 'mixed', sourceReason: 'image_regions' });
    expect(page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => `${w.text}:${w.origin}`)))).toEqual(['Heading:text_layer', 'Figure:ocr']);
  });
});

describe('mixed-page helpers', () => {
  it('drops OCR words that text-layer words already cover, and lines left empty', () => {
    const kept = dropCovered(
      [ocrLine('Quarterly', 100, 100), { ...ocrLine('revenue 2024', 100, 300), words: [
        { text: 'revenue', confidence: 0.9, quad: box(100, 300, 70, 20) },
        { text: '2024', confidence: 0.9, quad: box(180, 300, 40, 20) },
      ] }],
      [box(98, 98, 95, 24), box(175, 298, 50, 24)],
    );
    expect(kept.map((l) => l.text)).toEqual(['revenue']);
  });

  it('masks everything outside the regions white, and reads only there', async () => {
    const raster = { data: new Uint8Array(20 * 10).fill(0), width: 20, height: 10, channels: 1 as const };
    const masked = maskToRegions(raster, [{ x: 5, y: 2, width: 4, height: 3 }]);
    expect(masked.data[2 * 20 + 5]).toBe(0);
    expect(masked.data[2 * 20 + 9]).toBe(255);
    expect(masked.data[0]).toBe(255);
    expect(raster.data[0]).toBe(0);
    const seen: number[] = [];
    const engine = {
      recognize: async (r: typeof raster): Promise<OcrPage> => {
        seen.push(r.data.filter((v) => v === 0).length);
        return { width: 20, height: 10, dpi: 72, rotation: 0, blocks: [{ kind: 'paragraph', quad: box(5, 2, 4, 3), lines: [ocrLine('x', 5, 2)] }] };
      },
    };
    const read = await readRegions(engine, raster, [{ x: 5, y: 2, width: 4, height: 3 }], [], 72);
    expect(seen).toEqual([12]);
    expect(read.lines[0]!.words[0]!.origin).toBe('ocr');
    expect(await readRegions(engine, raster, [], [], 72)).toEqual({ lines: [], timings: {} });
    expect(seen).toHaveLength(1);
  });

  it('marks an engine result as an OCR page with its reason', () => {
    const page = ocrPage({ width: 1, height: 1, dpi: 72, rotation: 0, blocks: [{ kind: 'paragraph', quad: box(0, 0, 1, 1), lines: [ocrLine('a', 0, 0)] }] }, 'scanned_page');
    expect(page).toMatchObject({ source: 'ocr', sourceReason: 'scanned_page' });
    expect(page.blocks[0]!.lines[0]!.words[0]!.origin).toBe('ocr');
    expect(ocrPage({ width: 1, height: 1, dpi: 72, rotation: 0, blocks: [] }).sourceReason).toBeUndefined();
  });
});
