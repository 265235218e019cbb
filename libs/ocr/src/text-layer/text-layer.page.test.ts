import { describe, expect, it } from 'vitest';
import type { Line, OcrPage, Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import { dropCovered, maskToRegions, ocrPage, packRegions, readImageRegions, readRegions, readRegionSheet, regionSheet, regionsOf, SHEET_GAP, textLayerPage } from './text-layer.page.ts';

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

  it('masks everything outside the regions white', () => {
    const raster = { data: new Uint8Array(20 * 10).fill(0), width: 20, height: 10, channels: 1 as const };
    const masked = maskToRegions(raster, [{ x: 5, y: 2, width: 4, height: 3 }]);
    expect(masked.data[2 * 20 + 5]).toBe(0);
    expect(masked.data[2 * 20 + 9]).toBe(255);
    expect(masked.data[0]).toBe(255);
    expect(raster.data[0]).toBe(0);
  });

  it('packs the regions on a white sheet as long as the page and maps what it reads back to the page', async () => {
    // A 300×200 page: dark everywhere, so every dark sheet pixel is a region pixel.
    const raster = { data: new Uint8Array(300 * 200).fill(0), width: 300, height: 200, channels: 1 as const };
    const regions = [{ x: 10, y: 20, width: 50, height: 30 }, { x: 200, y: 150, width: 80, height: 40 }, { x: 0, y: 0, width: 150, height: 20 }];
    const packed = regionSheet(regionsOf(raster, regions), 300)!;
    const { sheet, slots } = packed;
    // As long as the page, so the detector scales it as it would scale the page.
    expect(sheet.width).toBe(300);
    expect(sheet.data.filter((v) => v === 0).length).toBe(50 * 30 + 80 * 40 + 150 * 20);
    // Two regions side by side, the third on a new row.
    expect(slots.map((s) => [s.x, s.y])).toEqual([[SHEET_GAP, SHEET_GAP], [SHEET_GAP + 50 + SHEET_GAP, SHEET_GAP], [SHEET_GAP, SHEET_GAP + 40 + SHEET_GAP]]);
    expect(sheet.height).toBe(SHEET_GAP + 40 + SHEET_GAP + 20 + SHEET_GAP);

    const seen: Array<{ width: number; height: number; rotation: unknown }> = [];
    const engine = {
      recognize: async (r: Raster, opts?: { rotation?: unknown }): Promise<OcrPage> => {
        seen.push({ width: r.width, height: r.height, rotation: opts?.rotation });
        // One line read in each slot, where the slot put the region.
        return {
          width: r.width, height: r.height, dpi: 300, rotation: 0,
          blocks: [{ kind: 'paragraph', quad: box(0, 0, 10, 10), lines: slots.map((s, k) => ocrLine(['Logo', 'Stamp', 'Banner'][k]!, s.x + 2, s.y + 3)) }],
        };
      },
    };
    const read = await readRegions(engine, raster, regions, [], 300);
    expect(seen).toEqual([{ width: sheet.width, height: sheet.height, rotation: 0 }]);
    expect(read.lines.map((l) => [l.text, l.quad[0]])).toEqual([['Logo', [12, 23]], ['Stamp', [202, 153]], ['Banner', [2, 3]]]);
    expect(read.lines.flatMap((l) => l.words).every((w) => w.origin === 'ocr')).toBe(true);
    expect(await readRegions(engine, raster, [], [], 300)).toEqual({ lines: [], timings: {} });
    expect(seen).toHaveLength(1);
  });

  it('packs regions rendered apart (each its own raster) as it packs regions of one page', async () => {
    const piece = (x: number, y: number, w: number, h: number, value: number) => ({
      region: { x, y, width: w, height: h },
      raster: { data: new Uint8Array(w * h).fill(value), width: w, height: h, channels: 1 as const },
      at: { x: 0, y: 0 },
    });
    const pieces = [piece(10, 20, 50, 30, 7), piece(200, 150, 80, 40, 9)];
    const { sheet, slots } = regionSheet(pieces, 300)!;
    expect(sheet.data[SHEET_GAP * sheet.width + SHEET_GAP]).toBe(7);
    expect(sheet.data[slots[1]!.y * sheet.width + slots[1]!.x]).toBe(9);
    const engine = {
      recognize: async (r: Raster): Promise<OcrPage> => ({
        width: r.width, height: r.height, dpi: 300, rotation: 0,
        blocks: [{ kind: 'paragraph', quad: box(0, 0, 10, 10), lines: [ocrLine('Stamp', slots[1]!.x + 1, slots[1]!.y + 1)] }],
      }),
    };
    const read = await readRegionSheet(engine, pieces, 300, [], 300);
    expect(read!.lines.map((l) => [l.text, l.quad[0]])).toEqual([['Stamp', [201, 151]]]);
    expect(await readRegionSheet(engine, [piece(0, 0, 290, 100, 1)], 300, [], 300)).toBeNull();
  });

  it('reads a mixed page\'s regions from a packed sheet (as stored by render) or from the whole page, with the same lines', async () => {
    // A 300×200 page whose two regions hold values 7 and 9; rendered apart they are exactly those pixels.
    const page = { data: new Uint8Array(300 * 200).fill(255), width: 300, height: 200, channels: 1 as const, dpi: 300 };
    const regions = [{ x: 10, y: 20, width: 50, height: 30 }, { x: 200, y: 150, width: 80, height: 40 }];
    regions.forEach((r, k) => {
      for (let y = r.y; y < r.y + r.height; y++) page.data.fill(k === 0 ? 7 : 9, y * 300 + r.x, y * 300 + r.x + r.width);
    });
    const apart = regions.map((r, k) => ({ region: r, raster: { data: new Uint8Array(r.width * r.height).fill(k === 0 ? 7 : 9), width: r.width, height: r.height, channels: 1 as const, dpi: 300 } }));
    const sheet = packRegions(apart, 300)!;
    // The same sheet as the regions cut from the page would give.
    expect(sheet).toEqual(regionSheet(regionsOf(page, regions), 300));
    const sheets: Raster[] = [];
    const engine = {
      recognize: async (r: Raster): Promise<OcrPage> => {
        sheets.push(r);
        // The engine reads the value under each slot's corner, so the lines say which pixels it saw.
        const lines = sheet.slots.map((s) => ocrLine(`v${r.data[s.y * r.width + s.x]}`, s.x + 1, s.y + 1));
        return { width: r.width, height: r.height, dpi: 300, rotation: 0, blocks: [{ kind: 'paragraph', quad: box(0, 0, 10, 10), lines }] };
      },
    };
    const fromSheet = await readImageRegions(engine, { sheet }, regions, [], 300);
    const fromPage = await readImageRegions(engine, { page }, regions, [], 300);
    expect(fromSheet.lines.map((l) => [l.text, l.quad[0]])).toEqual([['v7', [11, 21]], ['v9', [201, 151]]]);
    expect(fromPage).toEqual(fromSheet);
    expect(sheets[0]).toEqual(sheets[1]);
    // A region as long as the page does not fit a sheet: the page is read then.
    expect(packRegions([{ region: { x: 0, y: 0, width: 290, height: 10 }, raster: { ...page, width: 290, height: 10 } }], 300)).toBeNull();
  });

  it('reads a region too large for a sheet in place on the masked page', async () => {
    const raster = { data: new Uint8Array(300 * 200).fill(0), width: 300, height: 200, channels: 1 as const };
    const regions = [{ x: 0, y: 0, width: 290, height: 190 }];
    expect(regionSheet(regionsOf(raster, regions), 300)).toBeNull();
    const seen: number[] = [];
    const engine = {
      recognize: async (r: Raster): Promise<OcrPage> => {
        seen.push(r.width, r.height, r.data.filter((v) => v === 0).length);
        return { width: r.width, height: r.height, dpi: 300, rotation: 0, blocks: [{ kind: 'paragraph', quad: box(0, 0, 10, 10), lines: [ocrLine('Scan', 5, 5)] }] };
      },
    };
    const read = await readRegions(engine, raster, regions, [], 300);
    expect(seen).toEqual([300, 200, 290 * 190]);
    expect(read.lines.map((l) => [l.text, l.quad[0]])).toEqual([['Scan', [5, 5]]]);
  });

  it('marks an engine result as an OCR page with its reason', () => {
    const page = ocrPage({ width: 1, height: 1, dpi: 72, rotation: 0, blocks: [{ kind: 'paragraph', quad: box(0, 0, 1, 1), lines: [ocrLine('a', 0, 0)] }] }, 'scanned_page');
    expect(page).toMatchObject({ source: 'ocr', sourceReason: 'scanned_page' });
    expect(page.blocks[0]!.lines[0]!.words[0]!.origin).toBe('ocr');
    expect(ocrPage({ width: 1, height: 1, dpi: 72, rotation: 0, blocks: [] }).sourceReason).toBeUndefined();
  });
});
