/**
 * Two text columns with a narrow gutter (one em or less) on a generated page (real models): no
 * line is fused across the gutter, and column 1 is read before column 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine } from '../src/index.ts';
import { cer, drawPage, type TextItem } from './synthetic.page.ts';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ threads: 2 });
});
afterAll(() => engine?.close());

const LEFT = [
  'The committee met on Tuesday to discuss',
  'the budget for the coming year and the',
  'plans for the new library building that',
  'the town has wanted for a long time now.',
  'Several members asked for more details',
  'about the costs of heating and lighting',
  'before they would agree to any of it.',
  'A vote is expected at the next meeting.',
];
const RIGHT = [
  'Residents may send written comments to',
  'the town clerk until the end of March,',
  'or speak at the public hearing that is',
  'planned for the first week of April in',
  'the main hall of the old school house.',
  'Copies of the full report are kept at',
  'the front desk and can be read there by',
  'anyone during normal opening hours too.',
];

describe('narrow gutter', () => {
  it.each([20, 14, 10])('reads column 1, then column 2, across a %i px gutter (font 20 px)', async (gutter) => {
    const size = 20;
    const leftItems: TextItem[] = LEFT.map((text, i) => ({ text, x: 30, y: 50 + i * 30, size }));
    // Column 2 starts `gutter` px right of column 1's widest line, as measured when drawn.
    const measured = drawPage(1200, 320, leftItems);
    const edge = Math.max(...measured.lines.flatMap((l) => l.words.map((w) => w.box[2])));
    const items: TextItem[] = [...leftItems, ...RIGHT.map((text, i) => ({ text, x: Math.round(edge + gutter), y: 50 + i * 30, size }))];
    const drawn = drawPage(Math.ceil(2 * edge + gutter + 40), 320, items);
    const right = Math.max(...drawn.lines.slice(0, LEFT.length).flatMap((l) => l.words.map((w) => w.box[2])));
    const left = Math.min(...drawn.lines.slice(LEFT.length).flatMap((l) => l.words.map((w) => w.box[0])));
    expect(left - right).toBeLessThanOrEqual(gutter + 2); // the gutter really is that narrow
    const page = await engine.recognize(drawn.raster);
    // One output line per drawn line, in order (column 1 first): a line fused across the gutter
    // would merge two of them. Spaces aside: small print loses some, that is word splitting.
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    const out = pageToText(page).split('\n').map(squeeze);
    const expected = [...LEFT, ...RIGHT].map(squeeze);
    expect(out).toHaveLength(expected.length);
    out.forEach((line, k) => expect(cer(expected[k]!, line), `${line} vs ${expected[k]}`).toBeLessThan(0.1));
  });
});
