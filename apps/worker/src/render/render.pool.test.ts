import { decodeImage, isDocumentError, resolveLimits } from '@folio/documents';
import { execFileSync } from 'node:child_process';
import { contentBombPdf, deeplyNestedPdf, inkBox, makeTextPdf, renderForeverPage, writePdf } from '@folio/documents/testing';
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
  nested: deeplyNestedPdf(100_000, 'resources'),
  forever: writePdf([renderForeverPage()], { compress: true }),
  // 300 MB of path operators in a few hundred KB.
  bomb: contentBombPdf(300 * MB),
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

  it('refuses a content-stream bomb as too complex at its memory ceiling, and gives the memory back', async () => {
    const timed = createRenderPool({ threads: 1, timeoutMs: 120_000, memoryLimitBytes: 512 * MB, limits: resolveLimits(), load: async (key) => (key === 'bomb' ? documents.bomb! : documents.text!) });
    try {
      // A render process with pdfjs loaded is the baseline.
      await timed.render('text', 0, 72);
      const baseline = treeRss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRss())), 25);
      const started = Date.now();
      const err = await timed.render('bomb', 0, 72).catch((e: unknown) => e);
      const refusedMs = Date.now() - started;
      clearInterval(sampler);
      expect(err).toBeInstanceOf(RenderTooComplexError);
      expect((err as Error).message).toBe('rendering page 1 needed more than 512 MB; the page is too complex');
      // The next page renders in a fresh process; measured with that process alive.
      expect((await timed.render('text', 1, 72)).width).toBe(596);
      const settled = treeRss();
      console.info(
        `bomb page (${documents.bomb!.length} bytes, 300 MB inflated): refused in ${refusedMs} ms; render-process RSS baseline ${Math.round(baseline / MB)} MB, ` +
          `peak ${Math.round(peak / MB)} MB, settled ${Math.round(settled / MB)} MB`,
      );
      // Refused by its memory, not a deadline (13–22 s alone on 2 cores, slower under load: the
      // time is pdfjs parsing operators until the ceiling), sooner than one old 60 s attempt;
      // and what the bomb took is back.
      expect(refusedMs).toBeLessThan(60_000);
      expect(settled).toBeLessThan(baseline + 64 * MB);
    } finally {
      await timed.close();
    }
  }, 150_000);

  it('refuses work once closed', async () => {
    const closing = createRenderPool({ threads: 1, timeoutMs: 1_000, limits: resolveLimits(), load: async () => documents.text! });
    await closing.close();
    await expect(closing.render('text', 0, 72)).rejects.toThrow(/closed/);
  });
});
