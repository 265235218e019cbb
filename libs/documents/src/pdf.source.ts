import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentLimits } from './document.limits.ts';
import type { DocumentSource, Raster, RenderedRegion, RenderOptions, TextLayerOptions } from './document.types.ts';
import type { PixelBox, TextLayerPage } from './text-layer.types.ts';
import { readTextLayerPage } from './text-layer.read.ts';
import { regionsFromImages } from './pdf.region-images.ts';
import { documentErrors, pageOutOfRange, DocumentError } from './document.errors.ts';
import { loadPdfjs, pdfjsParameters, type PdfjsUse } from './pdf.runtime.ts';
import { DEFAULT_RENDER_DPI, planRenderSize, type RenderSize } from './pdf.render-size.ts';
import { neutralGray } from './raster.gray.ts';

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

/** pdfjs reports a needed password as `PasswordException`; every other load failure is damage. */
function loadError(err: unknown): DocumentError {
  return errorName(err) === 'PasswordException' ? documentErrors.encrypted(err) : documentErrors.corrupt('pdf', err);
}

/** Opens one pdfjs document over a private copy of `bytes` (pdfjs detaches the buffer it is given, and refuses Node Buffers). */
async function loadPdf(bytes: Uint8Array, use: PdfjsUse): Promise<PDFDocumentProxy> {
  const { getDocument } = await loadPdfjs();
  const task = getDocument(pdfjsParameters(new Uint8Array(bytes), use));
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw loadError(err);
  }
}

/**
 * Opens a PDF with pdfjs. Pages render one at a time onto a white @napi-rs/canvas and come
 * back as raw RGBA (alpha always 255): no PNG encode/decode between renderer and OCR.
 *
 * Two pdfjs documents over the same bytes: one that reads (page count, text layers), opened now,
 * and one that renders, opened on the first render. Reading without glyph outlines is cheaper
 * (see `PdfjsUse`), and most born-digital pages are never rendered; a page that is both read and
 * rendered has its fonts parsed twice, once per document. `bytes` must stay unchanged while the
 * document is open: the renderer is opened from them (pdfjs itself gets private copies).
 */
export async function openPdf(bytes: Uint8Array, limits: DocumentLimits): Promise<DocumentSource> {
  const doc = await loadPdf(bytes, 'read');
  const pageCount = doc.numPages;
  if (pageCount === 0 || pageCount > limits.maxPages) {
    await doc.destroy();
    throw pageCount === 0
      ? documentErrors.noPages()
      : documentErrors.tooManyPages(pageCount, limits.maxPages);
  }
  // The renderer opens from the caller's bytes (as image sources decode from theirs): a copy kept
  // here would double the memory of every cached document that is never rendered.
  let unopened: Uint8Array | undefined = bytes;
  let renderer: Promise<PDFDocumentProxy> | undefined;
  function rendering(): Promise<PDFDocumentProxy> {
    if (!renderer) {
      renderer = loadPdf(unopened!, 'render');
      unopened = undefined;
    }
    return renderer;
  }

  // Renders (and text-layer reads, which share pdfjs's page objects) are chained so concurrent
  // callers never hold two page rasters at once.
  let queue: Promise<unknown> = Promise.resolve();
  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    // The tail of the chain must not hold the raster (35 MB at 300 dpi) after the caller drops it.
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
  let closed = false;

  async function openPage(index: number, dpi: number | undefined, use: PdfjsUse): Promise<{ page: PDFPageProxy; requested: number }> {
    if (closed) throw new Error('The document is closed.');
    if (!Number.isInteger(index) || index < 0 || index >= pageCount) throw pageOutOfRange(index, pageCount);
    const requested = dpi ?? DEFAULT_RENDER_DPI;
    if (!(requested > 0)) throw new RangeError(`dpi must be positive, got ${requested}.`);
    const from = use === 'read' ? doc : await rendering();
    try {
      return { page: await from.getPage(index + 1), requested };
    } catch (err) {
      throw documentErrors.corrupt('pdf', err);
    }
  }

  /** The render size of a page at `requested` dpi; refuses pages too large to render. */
  function sizeOf(page: PDFPageProxy, index: number, requested: number): RenderSize {
    // The scale-1 viewport already applies the page's /Rotate and UserUnit.
    const base = page.getViewport({ scale: 1 });
    const size = planRenderSize(base.width, base.height, requested, limits);
    if (!size) {
      throw documentErrors.pageTooLargeToRender(index, base.width, base.height, limits.minRenderDpi, limits.maxPagePixels);
    }
    return size;
  }

  async function textLayer(index: number, options: TextLayerOptions): Promise<TextLayerPage> {
    const { page, requested } = await openPage(index, options.dpi, 'read');
    try {
      return await readTextLayerPage(page, sizeOf(page, index, requested));
    } finally {
      page.cleanup();
    }
  }

  async function render(index: number, options: RenderOptions): Promise<Raster> {
    const { page, requested } = await openPage(index, options.dpi, 'render');
    let canvas: Canvas | undefined;
    try {
      const size = sizeOf(page, index, requested);
      const viewport = page.getViewport({ scale: size.dpi / 72 });
      canvas = createCanvas(size.width, size.height);
      await page.render({
        // pdfjs is typed against the DOM canvas; @napi-rs/canvas implements the part it uses.
        canvas: canvas as unknown as HTMLCanvasElement,
        viewport,
        background: 'rgb(255,255,255)',
      }).promise;
      // canvas.data() is a view of the canvas's own pixel memory, which the shrink below
      // frees: copy it out (one memcpy, ~20 ms for A4 at 300 dpi), or its gray channel only.
      if (options.grayWhenNeutral) {
        const gray = neutralGray({ data: canvas.data(), width: size.width, height: size.height, channels: 4, dpi: size.dpi });
        if (gray) return gray;
      }
      const data = new Uint8Array(canvas.data());
      return { data, width: size.width, height: size.height, channels: 4, dpi: size.dpi };
    } catch (err) {
      if (err instanceof DocumentError) throw err;
      throw documentErrors.corrupt('pdf', err);
    } finally {
      // Free the page's decoded images and fonts now, and shrink the canvas so its pixel
      // buffer goes back at once rather than whenever the GC collects the wrapper.
      page.cleanup();
      if (canvas) {
        canvas.width = 1;
        canvas.height = 1;
      }
    }
  }

  /** The regions clipped to the page and rounded outwards to whole pixels; empty ones left out. */
  function clipRegions(regions: readonly PixelBox[], size: RenderSize): PixelBox[] {
    const out: PixelBox[] = [];
    for (const r of regions) {
      const x = Math.min(size.width, Math.max(0, Math.floor(r.x)));
      const y = Math.min(size.height, Math.max(0, Math.floor(r.y)));
      const width = Math.min(size.width, Math.ceil(r.x + r.width)) - x;
      const height = Math.min(size.height, Math.ceil(r.y + r.height)) - y;
      if (width > 0 && height > 0) out.push({ x, y, width, height });
    }
    return out;
  }

  /** Regions that one image paints alone, from its samples, through the reading document's `page` (no fonts, no glyph paths). */
  async function imageRegions(page: PDFPageProxy, size: RenderSize, regions: readonly PixelBox[]): Promise<Map<number, Raster>> {
    try {
      const lib = await loadPdfjs();
      return await regionsFromImages(page, lib.OPS, lib.AnnotationMode.DISABLE, size, regions);
    } catch (err) {
      if (err instanceof DocumentError) throw err;
      // The renderer gets its chance at every region.
      return new Map();
    }
  }

  async function renderRegions(index: number, regions: readonly PixelBox[], options: Pick<RenderOptions, 'dpi'>): Promise<RenderedRegion[]> {
    const { page: readPage, requested } = await openPage(index, options.dpi, 'read');
    let clipped: PixelBox[];
    let fromImages: Map<number, Raster>;
    try {
      const size = sizeOf(readPage, index, requested);
      clipped = clipRegions(regions, size);
      fromImages = await imageRegions(readPage, size, clipped);
    } finally {
      readPage.cleanup();
    }
    if (fromImages.size === clipped.length) {
      return clipped.map((region, i) => ({ region, raster: fromImages.get(i)! }));
    }
    const out: RenderedRegion[] = [];
    const { page } = await openPage(index, requested, 'render');
    try {
      const size = sizeOf(page, index, requested);
      const viewport = page.getViewport({ scale: size.dpi / 72 });
      for (const [i, region] of clipped.entries()) {
        const fromImage = fromImages.get(i);
        if (fromImage) {
          out.push({ region, raster: fromImage });
          continue;
        }
        const { x: x0, y: y0, width, height } = region;
        const canvas = createCanvas(width, height);
        try {
          // The page as rendered whole, moved so the region's corner is the canvas's. Renders of
          // one page share its operator list, so the page content is read once for all regions.
          await page.render({
            canvas: canvas as unknown as HTMLCanvasElement,
            viewport,
            transform: [1, 0, 0, 1, -x0, -y0],
            background: 'rgb(255,255,255)',
          }).promise;
          out.push({ region, raster: { data: new Uint8Array(canvas.data()), width, height, channels: 4, dpi: size.dpi } });
        } finally {
          canvas.width = 1;
          canvas.height = 1;
        }
      }
      return out;
    } catch (err) {
      if (err instanceof DocumentError) throw err;
      throw documentErrors.corrupt('pdf', err);
    } finally {
      page.cleanup();
    }
  }

  return {
    type: 'pdf',
    pageCount,
    renderRegions(index, regions, options = {}) {
      return enqueue(() => renderRegions(index, regions, options));
    },
    renderPage(index, options = {}) {
      return enqueue(() => render(index, options));
    },
    readTextLayer(index, options = {}) {
      return enqueue(() => textLayer(index, options));
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await doc.destroy();
      const opened = await renderer?.catch(() => undefined);
      await opened?.destroy();
    },
  };
}
