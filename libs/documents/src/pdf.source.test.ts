import { describe, expect, it } from 'vitest';
import { openDocument } from './document.open.ts';
import { isDocumentError, type DocumentErrorCode } from './document.errors.ts';
import type { DocumentLimitsInput } from './document.limits.ts';
import type { Raster } from './document.types.ts';
import { makeTextPdf, makeTextRaster, writePdf } from './testing/index.ts';
import { inkBox, meanAbsDiff } from './testing/raster.inspect.ts';

async function errorCode(bytes: Uint8Array, limits?: DocumentLimitsInput, page?: number): Promise<DocumentErrorCode | string> {
  try {
    const doc = await openDocument(bytes, limits);
    try {
      if (page !== undefined) await doc.renderPage(page);
    } finally {
      await doc.close();
    }
  } catch (err) {
    return isDocumentError(err) ? err.code : `other: ${String(err)}`;
  }
  return 'no error';
}

async function render(bytes: Uint8Array, page: number, dpi?: number, limits?: DocumentLimitsInput): Promise<Raster> {
  const doc = await openDocument(bytes, limits);
  try {
    return await doc.renderPage(page, dpi === undefined ? {} : { dpi });
  } finally {
    await doc.close();
  }
}

describe('PDF pages', () => {
  const pdf = makeTextPdf([['Page one, first line', 'second line'], ['Two'], ['Page three with a much longer line of text']]);

  it('renders just the asked regions, pixel for pixel as the whole page renders them', async () => {
    const doc = await openDocument(pdf);
    const page = await doc.renderPage(0, { dpi: 150 });
    const regions = await doc.renderRegions!(0, [{ x: 100.4, y: 150.2, width: 300, height: 60.5 }, { x: 1200, y: 1700, width: 100, height: 100 }, { x: 5000, y: 0, width: 10, height: 10 }], { dpi: 150 });
    await doc.close();
    // Rounded outwards to whole pixels, clamped to the page, empty ones left out.
    expect(regions.map((r) => r.region)).toEqual([{ x: 100, y: 150, width: 301, height: 61 }, { x: 1200, y: 1700, width: 41, height: 54 }]);
    const { region, raster } = regions[0]!;
    expect(raster).toMatchObject({ width: 301, height: 61, channels: 4, dpi: 150 });
    let differing = 0;
    let ink = 0;
    for (let y = 0; y < region.height; y++) {
      for (let x = 0; x < region.width * 4; x++) {
        const a = raster.data[y * region.width * 4 + x]!;
        const b = page.data[((region.y + y) * page.width + region.x) * 4 + x]!;
        if (Math.abs(a - b) > 2) differing++;
        if (a < 128) ink++;
      }
    }
    expect(ink).toBeGreaterThan(100);
    expect(differing / (region.width * region.height * 4)).toBeLessThan(0.01);
  });

  it('takes a region that one image paints alone from its samples, close to the render but without the text over it', async () => {
    const picture = makeTextRaster(['STAMP 42'], { fontSize: 40 });
    const bytes = writePdf([{ order: ['images', 'texts'], texts: [{ text: 'Caption over the picture', x: 80, y: 110 }], images: [{ x: 72, y: 72, width: 300, height: 60, raster: picture }] }]);
    const doc = await openDocument(bytes);
    const page = await doc.renderPage(0, { dpi: 150 });
    const [region] = await doc.renderRegions!(0, [{ x: 150, y: 150, width: 625, height: 125 }], { dpi: 150 });
    // Not a region an image paints alone: rendered, pixel for pixel.
    const [plain] = await doc.renderRegions!(0, [{ x: 150, y: 400, width: 300, height: 100 }], { dpi: 150 });
    await doc.close();
    const crop = (r: { x: number; y: number; width: number; height: number }): Raster => {
      const data = new Uint8Array(r.width * r.height * 4);
      for (let y = 0; y < r.height; y++) data.set(page.data.subarray(((r.y + y) * page.width + r.x) * 4, ((r.y + y) * page.width + r.x + r.width) * 4), y * r.width * 4);
      return { data, width: r.width, height: r.height, channels: 4, dpi: 150 };
    };
    expect(region!.raster).toMatchObject({ width: 625, height: 125, channels: 4, dpi: 150 });
    // The caption's ink is in the page render but not in the region: the text layer holds it.
    expect(meanAbsDiff(region!.raster, crop(region!.region))).toBeGreaterThan(1);
    expect(inkBox(region!.raster)).not.toBeNull();
    const onlyImage = { x: 150, y: 150, width: 625, height: 40 };
    const top = { ...region!.raster, data: region!.raster.data.slice(0, 625 * 40 * 4), height: 40 };
    expect(meanAbsDiff(top, crop(onlyImage))).toBeLessThan(12);
    expect(meanAbsDiff(plain!.raster, crop(plain!.region))).toBe(0);
  });

  it('counts pages and renders each to raw RGBA at the requested dpi', async () => {
    const doc = await openDocument(pdf);
    expect(doc).toMatchObject({ type: 'pdf', pageCount: 3 });
    const raster = await doc.renderPage(0, { dpi: 150 });
    await doc.close();
    expect(raster).toMatchObject({ width: 1241, height: 1754, channels: 4, dpi: 150 });
    expect(raster.data.length).toBe(1241 * 1754 * 4);
    // White background, fully opaque.
    expect([...raster.data.subarray(0, 8)]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('puts the text where the PDF says: two lines of ink from the one-inch margin', async () => {
    const raster = await render(pdf, 0, 150);
    const box = inkBox(raster);
    expect(box).not.toBeNull();
    // Text starts at x = 72 pt = 150 px; the first baseline is at 84 pt = 175 px.
    expect(box!.left).toBeGreaterThanOrEqual(148);
    expect(box!.left).toBeLessThanOrEqual(156);
    expect(box!.top).toBeGreaterThan(150);
    expect(box!.bottom).toBeLessThan(175 + 40);
  });

  it('paints a page whose text layer was read first as one never read (reading skips glyph outlines)', async () => {
    const fresh = await render(pdf, 0, 150);
    const doc = await openDocument(pdf);
    const layer = await doc.readTextLayer!(0, { dpi: 150 });
    const raster = await doc.renderPage(0, { dpi: 150 });
    await doc.close();
    expect(layer.words.map((w) => w.text)).toEqual(['Page', 'one,', 'first', 'line', 'second', 'line']);
    expect(inkBox(raster)).toEqual(inkBox(fresh));
    expect(Buffer.compare(Buffer.from(raster.data), Buffer.from(fresh.data))).toBe(0);
  });

  it('renders pages independently: the longest line is on page three', async () => {
    const doc = await openDocument(pdf);
    const widths: number[] = [];
    for (let i = 0; i < doc.pageCount; i++) {
      const box = inkBox(await doc.renderPage(i, { dpi: 72 }));
      widths.push(box ? box.right - box.left : 0);
    }
    await doc.close();
    expect(widths[1]).toBeLessThan(widths[0]!);
    expect(widths[2]).toBeGreaterThan(widths[0]!);
  });

  it('defaults to 300 dpi and clamps to maxRenderDpi', async () => {
    expect((await render(pdf, 1)).dpi).toBe(300);
    expect(await render(pdf, 1, 900, { maxRenderDpi: 100 })).toMatchObject({ dpi: 100, width: 827, height: 1170 });
  });

  it('applies /Rotate: a landscape-turned page comes wider than tall', async () => {
    const rotated = writePdf([{ rotate: 90, texts: [{ text: 'Rotated', x: 72, y: 100, size: 20 }] }]);
    expect(await render(rotated, 0, 72)).toMatchObject({ width: 842, height: 596 });
  });

  it('lowers the dpi of a page over the pixel limit instead of refusing it', async () => {
    const raster = await render(pdf, 0, 300, { maxPagePixels: 2_000_000 });
    expect(raster.dpi).toBeLessThan(300);
    expect(raster.width * raster.height).toBeLessThanOrEqual(2_000_000);
    expect(raster.dpi).toBe(Math.round((raster.width * 72) / 595.28));
  });

  it('refuses an absurd page that fits only below minRenderDpi', async () => {
    const huge = writePdf([{ width: 14400, height: 14400, texts: [{ text: 'Huge', x: 72, y: 72 }] }]);
    expect(await errorCode(huge, { maxPagePixels: 1_000_000 }, 0)).toBe('too_many_pixels');
    const doc = await openDocument(huge, { maxPagePixels: 1_000_000 });
    await expect(doc.renderPage(0)).rejects.toThrow(
      'Page 1 measures 200×200 inches; even at 18 dpi it would exceed the limit of 1.0 megapixels per page.',
    );
    await doc.close();
  });

  it('refuses more pages than maxPages at open', async () => {
    expect(await errorCode(pdf, { maxPages: 2 })).toBe('too_many_pages');
  });

  it('serialises concurrent renders and returns each page', async () => {
    const doc = await openDocument(pdf);
    const rasters = await Promise.all([0, 1, 2, 0].map((i) => doc.renderPage(i, { dpi: 50 })));
    await doc.close();
    expect(rasters.map((r) => r.width)).toEqual([414, 414, 414, 414]);
    expect(Buffer.compare(rasters[0]!.data, rasters[3]!.data)).toBe(0);
    expect(Buffer.compare(rasters[0]!.data, rasters[1]!.data)).not.toBe(0);
  });

  it('leaves the caller’s bytes intact (pdfjs would detach them)', async () => {
    const copy = pdf.slice();
    const doc = await openDocument(copy);
    await doc.close();
    expect(copy.byteLength).toBe(pdf.byteLength);
    expect(Buffer.compare(copy, pdf)).toBe(0);
  });

  it('rejects out-of-range page indexes with a RangeError', async () => {
    const doc = await openDocument(pdf);
    await expect(doc.renderPage(3)).rejects.toBeInstanceOf(RangeError);
    await expect(doc.renderPage(-1)).rejects.toBeInstanceOf(RangeError);
    await doc.close();
    await doc.close();
  });
});

describe('bad PDFs', () => {
  it('reports a PDF that needs a user password as encrypted', async () => {
    const locked = makeTextPdf([['Secret']], { encrypt: { userPassword: 'secret', ownerPassword: 'owner' } });
    expect(await errorCode(locked)).toBe('encrypted');
  });

  it('opens a permissions-only encrypted PDF (empty user password) and renders its text', async () => {
    const open = makeTextPdf([['Readable text']], { encrypt: { userPassword: '', ownerPassword: 'owner' } });
    const plain = makeTextPdf([['Readable text']]);
    const [a, b] = [await render(open, 0, 72), await render(plain, 0, 72)];
    expect(inkBox(a)).not.toBeNull();
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });

  it('reports truncated and garbage PDFs as corrupt', async () => {
    const pdf = makeTextPdf([['Some text'], ['More text']]);
    for (const fraction of [0.2, 0.5, 0.8, 0.95]) {
      expect(await errorCode(pdf.slice(0, Math.floor(pdf.length * fraction)))).toBe('corrupt');
    }
    expect(await errorCode(new TextEncoder().encode('%PDF-1.7\nthis is not a pdf at all\n'))).toBe('corrupt');
  });

  it('reports zero bytes and a PDF without pages as empty, oversize input as too_large', async () => {
    expect(await errorCode(new Uint8Array(0))).toBe('empty');
    expect(await errorCode(makeTextPdf([['x']]), { maxBytes: 100 })).toBe('too_large');
    expect(await errorCode(writePdf([]))).toBe('empty');
  });

  it('reports unknown bytes as unsupported_type', async () => {
    expect(await errorCode(new TextEncoder().encode('GIF89a not supported'))).toBe('unsupported_type');
  });

  it('gives messages a person can act on', async () => {
    const locked = makeTextPdf([['Secret']], { encrypt: { userPassword: 'secret', ownerPassword: 'owner' } });
    await expect(openDocument(locked)).rejects.toThrow(/password/);
    await expect(openDocument(makeTextPdf([['a'], ['b'], ['c']]), { maxPages: 2 })).rejects.toThrow(
      'The document has 3 pages; the limit is 2.',
    );
  });
});
