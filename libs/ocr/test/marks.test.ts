/**
 * Dashes and round marks on a generated page, real models: the recognizer reads every bar as a
 * hyphen (the original classifier has no other dash) and a list bullet as a middle dot; the bar's
 * length and the dot's size on the ink tell them apart (recognition/dash.ink.ts, bullet.ink.ts),
 * with or without the Latin head.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { drawPage, type TextItem } from './synthetic.page.ts';

const FACES = ['Liberation Serif', 'DejaVu Sans', 'Liberation Sans', 'Noto Serif'];
const LINES = ['Docket FAA–2020–0686, pages 12–15', 'A well-known X-ray pre-paid plan', 'Lines 4–9 of TABLE 2—MODELS', '• Mail: U.S. Department of Transport', 'Price 12 · VAT 20% · Total 14.40'];
const items: TextItem[] = FACES.flatMap((font, f) =>
  LINES.map((text, i) => ({ text, font, size: f % 2 ? 30 : 40, x: 40, y: 70 + (f * LINES.length + i) * 70 })),
);
const page = drawPage(1100, 70 + items.length * 70, items);
const count = (s: string, ch: string) => [...s].filter((c) => c === ch).length;

let original: OcrEngine;
let gated: OcrEngine;
beforeAll(async () => {
  [original, gated] = await Promise.all([createOcrEngine({ threads: 1 }), createOcrEngine({ threads: 1, latinHead: 'gated' })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([original?.close(), gated?.close()]);
});

describe('marks by their size on the ink', () => {
  it('reads en and em dashes and bullets where they are drawn, hyphens and middle dots where those are', async () => {
    const truth = items.map((l) => l.text).join('\n');
    for (const engine of [original, gated]) {
      const read = pageToText(await engine.recognize(page.raster));
      // Measured: every en dash and em dash in both modes (one em dash also leaves a hyphen beside
      // it in Noto Serif); the original classifier alone reads them all as hyphens.
      expect(count(read, '–'), read).toBeGreaterThanOrEqual(count(truth, '–') - 1);
      expect(count(read, '–'), read).toBeLessThanOrEqual(count(truth, '–'));
      expect(count(read, '—'), read).toBeGreaterThanOrEqual(count(truth, '—') - 1);
      // No hyphen turned into a dash.
      expect(read.match(/well.known X.ray pre.paid/g), read).toEqual(FACES.map(() => 'well-known X-ray pre-paid'));
      // Measured: every bullet in both modes, and the middle dots stay.
      expect(count(read, '•'), read).toBeGreaterThanOrEqual(FACES.length - 1);
      expect(count(read, '·'), read).toBeGreaterThanOrEqual(2 * FACES.length - 1);
    }
  }, 120_000);
});
