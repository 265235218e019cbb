import { decodeImage, isDocumentError, resolveLimits, type PageBudgetInput } from '@folio/documents';
import { execFileSync } from 'node:child_process';
import {
  contentBombPdf,
  deeplyNestedPdf,
  formBombPdf,
  hugeImagePdf,
  inflateBombImagePdf,
  inkBox,
  jbig2BombPdf,
  jpxBombPdf,
  makeTextPdf,
  renderForeverPage,
  textLayerFixtures,
  writePdf,
} from '@folio/documents/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRenderPool, RenderTimeoutError, RenderTooComplexError, type RenderPool } from './render.pool.ts';

const MB = 1024 * 1024;
/** Resident bytes of this process's children: the render processes (the test's own heap is noise). */
function treeRss(): number {
  const kb = execFileSync('ps', ['-o', 'rss=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => Number(l.trim()) || 0)
    .reduce((a, b) => a + b, 0);
  return kb * 1024;
}

const documents: Record<string, Uint8Array> = {
  text: makeTextPdf([['Page one'], ['Page two, longer'], ['Page three']]),
  mixed: textLayerFixtures().textWithImageOfText.pdf,
  nested: deeplyNestedPdf(100_000, 'resources'),
  forever: writePdf([renderForeverPage()], { compress: true }),
  // 300 MB of path operators in a few hundred KB.
  bomb: contentBombPdf(300 * MB),
  jpx: jpxBombPdf(),
  jbig2: jbig2BombPdf(),
  'huge-image': hugeImagePdf(),
  forms: formBombPdf(100),
  // A 100 × 100 image whose stream inflates to 256 MB.
  'inflate-image': inflateBombImagePdf(256 * MB),
};
const loads: string[] = [];
let pool: RenderPool;

describe('render pool', () => {
  pool = createRenderPool({
    threads: 2,
    // Generous for a 72-dpi page on a loaded 2-core machine; the forever page still hits it.
    timeoutMs: 5_000,
    memoryLimitBytes: 512 * MB,
    limits: resolveLimits(),
    load: async (key) => {
      loads.push(key);
      const bytes = documents[key];
      if (!bytes) throw new Error(`no ${key}`);
      return bytes;
    },
  });
  afterAll(() => pool.close());

  it('renders pages to PNG in child processes, loading each document once per process', async () => {
    const pages = await Promise.all([0, 1, 2].map((i) => pool.render('text', i, 72)));
    for (const page of pages) {
      expect(page).toMatchObject({ width: 596, height: 842, dpi: 72 });
      const raster = await decodeImage(page.png as Buffer);
      expect(inkBox(raster)).not.toBeNull();
    }
    expect(loads.filter((k) => k === 'text').length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('reads a trusted text layer instead of rendering, and renders when asked for pixels only', async () => {
    const read = await pool.render('text', 1, 150, { textLayer: true });
    expect(read.png).toBeUndefined();
    expect(read.layer?.verdict.source).toBe('text_layer');
    expect(read.layer?.words.map((w) => w.text)).toEqual(['Page', 'two,', 'longer']);
    expect(read).toMatchObject({ width: read.layer?.width, height: read.layer?.height, dpi: 150 });
    const rendered = await pool.render('text', 1, 150);
    expect(rendered.layer).toBeUndefined();
    expect(rendered).toMatchObject({ width: read.width, height: read.height });
  }, 60_000);

  it('renders only the image regions of a mixed page, packed on one sheet, not the page', async () => {
    const read = await pool.render('mixed', 0, 150, { textLayer: true });
    expect(read.layer?.verdict.source).toBe('mixed');
    expect(read.png).toBeUndefined();
    expect(read).toMatchObject({ width: read.layer?.width, height: read.layer?.height, dpi: 150 });
    const regions = read.layer?.verdict.imageRegions ?? [];
    expect(read.sheet?.slots).toHaveLength(regions.length);
    // As long as the page's long side (the detector sees it at the page's scale), and only as high as its rows.
    const sheet = await decodeImage(read.sheet?.png as Buffer);
    expect(sheet.width).toBe(Math.max(read.width, read.height));
    expect(sheet.height).toBeLessThan(read.height / 4);
    const slot = read.sheet!.slots[0]!;
    expect(slot.region).toMatchObject({ x: Math.floor(regions[0]!.x), y: Math.floor(regions[0]!.y) });
    // The image of text is on the sheet where its slot says, and nothing else is.
    const ink = inkBox(sheet);
    expect(ink).not.toBeNull();
    expect(ink!.left).toBeGreaterThanOrEqual(slot.x);
    expect(ink!.top).toBeGreaterThanOrEqual(slot.y);
    expect(ink!.right).toBeLessThan(slot.x + slot.width);
    expect(ink!.bottom).toBeLessThan(slot.y + slot.height);
  }, 60_000);

  it('hands a damaged page back as the DocumentError it is', async () => {
    const err = await pool.render('nested', 0, 72).catch((e: unknown) => e);
    expect(isDocumentError(err) && err.code).toBe('corrupt');
  }, 60_000);

  it('abandons a page that renders past the deadline, and keeps serving other pages', async () => {
    const started = Date.now();
    const err = await pool.render('forever', 0, 72).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RenderTimeoutError);
    expect((err as Error).message).toBe('rendering page 1 took longer than 5000 ms; the page was abandoned');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await pool.render('text', 1, 72)).width).toBe(596);
  }, 60_000);

  /** Renders `key` in a fresh one-process pool, sampling the render processes' RSS: baseline (pdfjs loaded), peak, settled. */
  async function measured(key: string, options: { budget?: PageBudgetInput } = {}) {
    const timed = createRenderPool({ threads: 1, timeoutMs: 120_000, memoryLimitBytes: 512 * MB, limits: resolveLimits(), load: async (k) => documents[k] as Uint8Array, ...options });
    try {
      await timed.render('text', 0, 72);
      const baseline = treeRss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRss())), 10);
      const started = Date.now();
      const outcome = await timed.render(key, 0, 72).catch((e: unknown) => e);
      const ms = Date.now() - started;
      clearInterval(sampler);
      peak = Math.max(peak, treeRss());
      // The next page renders (in the same or a fresh process); settled is measured after it.
      expect((await timed.render('text', 1, 72)).width).toBe(596);
      const settled = treeRss();
      console.info(`${key} (${documents[key]!.length} bytes): ${outcome instanceof Error ? outcome.message : 'rendered'} in ${ms} ms; render-process RSS baseline ${Math.round(baseline / MB)} MB, peak ${Math.round(peak / MB)} MB, settled ${Math.round(settled / MB)} MB`);
      return { outcome, ms, baseline, peak, settled };
    } finally {
      await timed.close();
    }
  }

  it('refuses a content-stream bomb as too complex before painting it: at once, and its memory is back', async () => {
    const { outcome, ms, baseline, peak, settled } = await measured('bomb');
    expect(outcome).toBeInstanceOf(RenderTooComplexError);
    expect((outcome as RenderTooComplexError).budget).toEqual({ budget: 'content_bytes', limit: 64 * MB, found: 64 * MB + 1 });
    expect((outcome as Error).message).toBe(`page 1 is too complex to render: ${64 * MB + 1} over the content_bytes budget of ${64 * MB}; refused before painting`);
    // Inflating stops at the 64 MiB budget: no operator list is built. (Reaching the memory
    // ceiling instead took 13–28 s.) Loose bound: this machine's 2 cores are shared.
    expect(ms).toBeLessThan(5_000);
    expect(peak).toBeLessThan(baseline + 256 * MB);
    expect(settled).toBeLessThan(baseline + 64 * MB);
  }, 120_000);

  it('refuses JPEG 2000, JBIG2 and plain images declaring a huge canvas, and forms that paint forms, before painting', async () => {
    for (const [key, budget] of [
      ['jpx', 'image_pixels'],
      ['jbig2', 'image_pixels'],
      ['huge-image', 'image_pixels'],
      ['forms', 'operators'],
    ] as const) {
      const { outcome, ms, baseline, settled } = await measured(key);
      expect(outcome, key).toBeInstanceOf(RenderTooComplexError);
      expect((outcome as RenderTooComplexError).budget?.budget, key).toBe(budget);
      expect(ms, key).toBeLessThan(5_000);
      expect(settled, key).toBeLessThan(baseline + 64 * MB);
    }
  }, 300_000);

  it('refuses a Flate image that inflates far past its declared size before painting (pdfjs would inflate it whole)', async () => {
    const { outcome, ms, baseline, peak, settled } = await measured('inflate-image');
    expect(outcome).toBeInstanceOf(RenderTooComplexError);
    expect((outcome as RenderTooComplexError).budget?.budget).toBe('image_stream_bytes');
    expect(ms).toBeLessThan(5_000);
    expect(peak).toBeLessThan(baseline + 128 * MB);
    expect(settled).toBeLessThan(baseline + 64 * MB);
  }, 180_000);

  it('still stops what no budget sees at the memory ceiling (budgets lifted), and gives the memory back', async () => {
    const lifted = { maxContentBytes: 2 ** 31, maxOperators: 2 ** 31, maxPathSegments: 2 ** 31 };
    const { outcome, ms, baseline, settled } = await measured('bomb', { budget: lifted });
    expect(outcome).toBeInstanceOf(RenderTooComplexError);
    expect((outcome as RenderTooComplexError).budget).toBeUndefined();
    expect((outcome as Error).message).toBe('rendering page 1 needed more than 512 MB; the page is too complex');
    expect(ms).toBeLessThan(60_000);
    expect(settled).toBeLessThan(baseline + 64 * MB);
  }, 150_000);

  it('refuses work once closed', async () => {
    const closing = createRenderPool({ threads: 1, timeoutMs: 1_000, limits: resolveLimits(), load: async () => documents.text! });
    await closing.close();
    await expect(closing.render('text', 0, 72)).rejects.toThrow(/closed/);
  });
});
