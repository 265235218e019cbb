/**
 * End-to-end engine tests on synthetic pages (real ONNX models): text, word boxes, rotated pages,
 * two columns and a table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine, type OcrPage, type Quad, type Rotation } from '../src/index.ts';
import { cer, drawPage, type TextItem } from './synthetic.page.ts';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ threads: 2 });
});
afterAll(async () => {
  await engine.close();
});

const LETTER: TextItem[] = [
  { text: 'Invoice number 2024-0042', x: 60, y: 90, size: 40 },
  { text: 'The quick brown fox jumps over the lazy dog.', x: 60, y: 170 },
  { text: 'Total amount due: 1,234.56 USD', x: 60, y: 230 },
  { text: 'Please pay within thirty days.', x: 60, y: 290 },
];

const words = (p: OcrPage) => p.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
const centre = (q: Quad): [number, number] => [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];

function expectWordsOnTruth(page: OcrPage, truth: ReturnType<typeof drawPage>) {
  const found = words(page);
  let matched = 0;
  let total = 0;
  for (const line of truth.lines)
    for (const w of line.words) {
      total++;
      const hit = found.find((f) => f.text.replace(/[.,:]$/, '') === w.text.replace(/[.,:]$/, ''));
      if (!hit) continue;
      const [cx, cy] = centre(hit.quad);
      const [x0, y0, x1, y1] = w.box;
      const slack = 0.25 * Math.min(x1 - x0, y1 - y0) + 4;
      if (cx >= x0 - slack && cx <= x1 + slack && cy >= y0 - slack && cy <= y1 + slack) matched++;
    }
  expect(matched / total).toBeGreaterThan(0.9);
}

describe('createOcrEngine', () => {
  it('reads a page of known text with word boxes on the drawn words', async () => {
    const truth = drawPage(1100, 340, LETTER);
    const page = await engine.recognize(truth.raster, { dpi: 150 });
    expect(page).toMatchObject({ width: 1100, height: 340, dpi: 150, rotation: 0 });
    expect(cer(LETTER.map((l) => l.text).join('\n'), pageToText(page))).toBeLessThan(0.03);
    expectWordsOnTruth(page, truth);
    for (const w of words(page)) {
      expect(w.confidence).toBeGreaterThan(0.5);
      expect(w.confidence).toBeLessThanOrEqual(1);
    }
    expect(page.timings?.detModel).toBeGreaterThan(0);
    expect(page.timings?.recModel).toBeGreaterThan(0);
  });

  it.each([90, 180, 270] as Rotation[])('detects a page turned %i° and maps boxes back to its pixels', async (rotation) => {
    const truth = drawPage(1100, 340, LETTER, rotation);
    const page = await engine.recognize(truth.raster);
    expect(page.rotation).toBe(rotation);
    expect(page.width).toBe(truth.raster.width);
    expect(cer(LETTER.map((l) => l.text).join('\n'), pageToText(page))).toBeLessThan(0.05);
    expectWordsOnTruth(page, truth);
  });

  it('reads two columns one after the other', async () => {
    const left = ['Column one starts here', 'with several lines of', 'running text that belong', 'together as a story.', 'It goes on for a while', 'so that it reads as prose.'];
    const right = ['Column two follows after', 'the first one is done', 'and continues the text', 'until the very end.', 'More words fill this', 'second column of text.'];
    const items: TextItem[] = [
      ...left.map((text, i) => ({ text, x: 50, y: 80 + i * 40, size: 28 })),
      ...right.map((text, i) => ({ text, x: 560, y: 80 + i * 40, size: 28 })),
    ];
    const page = await engine.recognize(drawPage(1050, 340, items).raster);
    const text = pageToText(page);
    expect(cer([...left, ...right].join('\n'), text)).toBeLessThan(0.05);
  });

  it('keeps the cells of a table row together', async () => {
    const rows = [
      ['Item', 'Qty', 'Price'],
      ['Apples', '12', '3.40'],
      ['Pears', '7', '2.15'],
      ['Plums', '30', '9.99'],
    ];
    const items = rows.flatMap((r, i) => r.map((text, j) => ({ text, x: 60 + j * 300, y: 70 + i * 50, size: 30 })));
    const page = await engine.recognize(drawPage(1000, 280, items).raster);
    const out = pageToText(page).split('\n');
    for (const r of rows) expect(out).toContain(r.join(' '));
  });

  it('accepts grey and RGB rasters and returns nothing for a blank page', async () => {
    const truth = drawPage(700, 120, [{ text: 'Grey pixels work too', x: 30, y: 70 }]);
    const rgba = truth.raster.data;
    const grey = new Uint8Array(700 * 120);
    const rgb = new Uint8Array(700 * 120 * 3);
    for (let i = 0; i < grey.length; i++) {
      grey[i] = rgba[i * 4]!;
      rgb.set([rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!], i * 3);
    }
    for (const [data, channels] of [[grey, 1], [rgb, 3]] as const) {
      const page = await engine.recognize({ data, width: 700, height: 120, channels });
      expect(pageToText(page)).toBe('Grey pixels work too');
    }
    const blank = await engine.recognize({ data: new Uint8Array(300 * 200).fill(255), width: 300, height: 200, channels: 1 });
    expect(blank.blocks).toEqual([]);
  });

  it('rejects a malformed raster', async () => {
    await expect(engine.recognize({ data: new Uint8Array(10), width: 100, height: 100, channels: 1 })).rejects.toThrow(/raster/);
  });
});
