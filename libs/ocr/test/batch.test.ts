/**
 * Pages recognized together (`recognizeBatch`, the batching facade, the pool) read exactly what
 * they read one at a time, and a bad page fails alone. Real models, small synthetic pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchingEngine, createEnginePool, createOcrEngine, pageToText, type OcrEngine, type Raster } from '../src/index.ts';
import { detectionBuckets } from '../src/batch/det.batch.ts';
import { resolveEngineOptions } from '../src/engine.options.ts';
import { drawPage, type TextItem } from './synthetic.page.ts';

const lines = (texts: string[], size = 30, x = 40, y0 = 70, step = 55): TextItem[] => texts.map((text, i) => ({ text, x, y: y0 + i * step, size }));

const LETTER = lines(['Dear customer, thank you for your order', 'Invoice number 2024-0042 is attached', 'Total amount due: 1,234.56 USD', 'Please pay within thirty days']);
const MEMO = lines(['Memo to all staff members', 'The office closes at five on Friday', 'Parking permits expire in March', 'Questions go to the front desk']);
const RECEIPT = lines(['CORNER MARKET LTD', 'MILK 2 x 1.20 2.40', 'BREAD 1 x 2.10 2.10', 'TOTAL 4.50'], 26, 20, 50, 45);

/** Fresh copies each time: pools transfer (detach) the buffers they are given. */
const pages = (): Raster[] => [drawPage(1100, 300, LETTER).raster, drawPage(1100, 300, MEMO).raster, drawPage(520, 260, RECEIPT).raster];
const bad: Raster = { data: new Uint8Array(10), width: 100, height: 100, channels: 3 };

let engine: OcrEngine;
let alone: string[];
let aloneBlocks: unknown[];
beforeAll(async () => {
  // Shared detector runs as on GPUs (CPU-only engines detect page by page by default).
  engine = await createOcrEngine({ threads: 1, detBatchPages: 4 });
  alone = [];
  aloneBlocks = [];
  for (const r of pages()) {
    const page = await engine.recognize(r);
    alone.push(pageToText(page));
    aloneBlocks.push(page.blocks);
  }
});
afterAll(() => engine?.close());

describe('recognizeBatch', () => {
  it('reads exactly what page-at-a-time reads (text, boxes, confidences), in order', async () => {
    expect(alone[0]).toContain('Invoice number 2024-0042');
    expect(alone[2]).toContain('CORNER MARKET');
    const outcomes = await engine.recognizeBatch!(pages().map((raster) => ({ raster, opts: { dpi: 200 } })));
    expect(outcomes.map((o) => (o.ok ? pageToText(o.page) : o.error))).toEqual(alone);
    expect(outcomes.map((o) => (o.ok ? o.page.blocks : o.error))).toEqual(aloneBlocks);
    for (const o of outcomes) expect(o.ok && o.page.dpi === 200 && o.page.timings?.batchPages === 3).toBe(true);
  });

  it('reads A4 pages at 300 dpi (halved and padded for the detector, not resampled) as page-at-a-time does', async () => {
    const a4 = () => [
      drawPage(2481, 3508, lines(['Quarterly report for the board', 'Revenue grew by 12 percent', 'Costs stayed flat at 4.2 million'], 48, 200, 300, 90)).raster,
      drawPage(2481, 3508, lines(['Minutes of the annual meeting', 'Present: seven of nine members', 'Next meeting on 14 March'], 48, 200, 300, 90)).raster,
    ];
    const single: Array<{ text: string; blocks: unknown }> = [];
    for (const r of a4()) {
      const page = await engine.recognize(r);
      single.push({ text: pageToText(page), blocks: page.blocks });
    }
    expect(single[0]!.text).toContain('Revenue grew by 12 percent');
    const outcomes = await engine.recognizeBatch!(a4().map((raster) => ({ raster })));
    // Boxes to the last decimal: the same detector input, not merely the same words.
    expect(outcomes.map((o) => (o.ok ? { text: pageToText(o.page), blocks: o.page.blocks } : o.error))).toEqual(single);
  });

  it('fails only the page that is broken', async () => {
    const [a, b, c] = pages();
    const outcomes = await engine.recognizeBatch!([{ raster: a! }, { raster: bad }, { raster: b! }, { raster: c! }]);
    expect(outcomes[1]).toEqual({ ok: false, error: expect.stringMatching(/invalid raster/) });
    expect([outcomes[0], outcomes[2], outcomes[3]].map((o) => (o?.ok ? pageToText(o.page) : 'failed'))).toEqual(alone);
  });

  // Padding moves box edges by a pixel or so, which can move a marginal word gap or flip one
  // marginal glyph: nearly the same characters, spaces may differ. That is why equal sizes only
  // (padSlack 0, exact: the test above) is the default.
  it('pads pages of nearly equal size into one detector run and reads nearly the same characters', async () => {
    const padded = await createOcrEngine({ threads: 1, detBatchPages: 4, detBatchPadSlack: 96 });
    try {
      const rasters = [drawPage(1100, 300, LETTER).raster, drawPage(1040, 300, MEMO).raster];
      const single: string[] = [];
      for (const r of rasters) single.push(pageToText(await padded.recognize(r)));
      const outcomes = await padded.recognizeBatch!(rasters.map((raster) => ({ raster })));
      const chars = (t: string) => t.replace(/\s+/g, '');
      const batched = outcomes.map((o) => (o.ok ? chars(pageToText(o.page)) : o.error));
      batched.forEach((text, i) => {
        const expected = single.map(chars)[i]!;
        // At most 1 edit per 100 characters.
        expect(editDistance(text, expected), `${text} vs ${expected}`).toBeLessThanOrEqual(Math.ceil(expected.length / 100));
      });
      expect(outcomes.every((o) => o.ok && o.page.timings?.batchPages === 2)).toBe(true);
    } finally {
      await padded.close();
    }
  });
});

describe('per-page detector thresholds', () => {
  it("apply to their own page only, in a shared detector run (docTR's box_threshold and binary_threshold)", async () => {
    const [letter, memo] = pages();
    const [strict, plain, none] = await engine.recognizeBatch!([
      { raster: letter!, opts: { detection: { boxThreshold: 0.999 } } },
      { raster: memo!, opts: {} },
      // No probability exceeds 1: nothing is segmented as text.
      { raster: drawPage(1100, 300, MEMO).raster, opts: { detection: { binaryThreshold: 1 } } },
    ]);
    expect(strict?.ok && strict.page.blocks.flatMap((b) => b.lines)).toHaveLength(0);
    expect(plain?.ok && pageToText(plain.page)).toBe(alone[1]);
    expect(none?.ok && none.page.blocks).toEqual([]);
  });
});

describe('detBatchPages default', () => {
  it('detects page by page on CPU-only engines and 4 pages per run otherwise, unless set', () => {
    expect(resolveEngineOptions({}).detBatchPages).toBe(1);
    expect(resolveEngineOptions({ executionProviders: ['cuda', 'cpu'] }).detBatchPages).toBe(4);
    expect(resolveEngineOptions({ detBatchPages: 2 }).detBatchPages).toBe(2);
  });
});

describe('detectionBuckets', () => {
  it('groups equal sizes, respects the slack and the page limit', () => {
    const p = (width: number, height: number, id: string) => ({ width, height, id });
    const ids = (b: Array<Array<{ id: string }>>) => b.map((x) => x.map((y) => y.id).join(''));
    const set = [p(1248, 1760, 'a'), p(960, 1760, 'r'), p(1248, 1760, 'b'), p(1216, 1760, 'c'), p(1248, 1760, 'd')];
    expect(ids(detectionBuckets(set, { maxPages: 8, padSlack: 0 }))).toEqual(['abd', 'c', 'r']);
    expect(ids(detectionBuckets(set, { maxPages: 8, padSlack: 32 }))).toEqual(['abdc', 'r']);
    expect(ids(detectionBuckets(set, { maxPages: 2, padSlack: 0 }))).toEqual(['ab', 'd', 'c', 'r']);
  });
});

describe('createBatchingEngine over a pool', () => {
  let pool: OcrEngine;
  beforeAll(async () => {
    pool = await createEnginePool({ workers: 1, threads: 1 });
  });
  afterAll(() => pool?.close());

  it('gathers concurrent pages into one batch; each caller gets its own page or its own error', async () => {
    const batching = createBatchingEngine(pool, { maxPages: 4, waitMs: 2_000 });
    const [a, b, c] = pages();
    const results = await Promise.allSettled([a!, bad, b!, c!].map((r) => batching.recognize(r)));
    expect(batching.stats.batches).toEqual([4]);
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/invalid raster/) } });
    expect([results[0], results[2], results[3]].map((r) => (r?.status === 'fulfilled' ? pageToText(r.value) : 'failed'))).toEqual(alone);
    // Pool threads report the engine's own CPU per page (Linux), a batch's split evenly.
    if (process.platform === 'linux') for (const r of [results[0], results[2]]) expect(r?.status === 'fulfilled' && r.value.timings?.['threadCpu']).toBeGreaterThan(0);
  });

  it('sends what waits after waitMs, page by page when alone', async () => {
    const batching = createBatchingEngine(pool, { maxPages: 4, waitMs: 20 });
    const page = await batching.recognize(pages()[2]!);
    expect(pageToText(page)).toBe(alone[2]);
    expect(batching.stats.batches).toEqual([1]);
  });
});

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
