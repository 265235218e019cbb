import { decodeImage, isDocumentError, resolveLimits } from '@folio/documents';
import { deeplyNestedPdf, inkBox, makeTextPdf, renderForeverPage, writePdf } from '@folio/documents/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRenderPool, RenderTimeoutError, type RenderPool } from './render.pool.ts';

const documents: Record<string, Uint8Array> = {
  text: makeTextPdf([['Page one'], ['Page two, longer'], ['Page three']]),
  nested: deeplyNestedPdf(100_000, 'resources'),
  forever: writePdf([renderForeverPage()], { compress: true }),
};
const loads: string[] = [];
let pool: RenderPool;

describe('render pool', () => {
  pool = createRenderPool({
    threads: 2,
    timeoutMs: 2_000,
    limits: resolveLimits(),
    load: async (key) => {
      loads.push(key);
      const bytes = documents[key];
      if (!bytes) throw new Error(`no ${key}`);
      return bytes;
    },
  });
  afterAll(() => pool.close());

  it('renders pages to PNG in threads, loading each document once per thread', async () => {
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
    expect((err as Error).message).toBe('rendering page 1 took longer than 2000 ms; the page was abandoned');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await pool.render('text', 1, 72)).width).toBe(596);
  }, 60_000);

  it('refuses work once closed', async () => {
    const closing = createRenderPool({ threads: 1, timeoutMs: 1_000, limits: resolveLimits(), load: async () => documents.text! });
    await closing.close();
    await expect(closing.render('text', 0, 72)).rejects.toThrow(/closed/);
  });
});
