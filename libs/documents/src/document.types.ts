import type { PixelBox, TextLayerPage } from './text-layer.types.ts';

/** One region of a page, rendered alone: `raster` holds exactly the pixels of `region`. */
export interface RenderedRegion {
  region: PixelBox;
  raster: Raster;
}

/** The document kinds Folio accepts, as recognised from their bytes. */
export type DocumentType = 'pdf' | 'png' | 'jpeg' | 'tiff';

/**
 * One page as raw pixels: 8-bit samples, interleaved, row-major, no row padding
 * (`data.length === width * height * channels`). Origin top-left.
 * Rasters produced by this library never carry a meaningful alpha channel: PDF pages are
 * painted on white (alpha is always 255) and images with alpha are flattened onto white.
 */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA. */
  channels: 1 | 3 | 4;
  /** Pixels per inch the page was rendered at (PDF) or the image declares (72 when it does not). */
  dpi: number;
}

export interface RenderOptions {
  /**
   * PDF render resolution in dots per inch. Clamped to the source's `maxRenderDpi`, and
   * lowered further when the page would exceed `maxPagePixels` (the Raster reports the dpi used).
   * Ignored for images, which come at their own resolution.
   * @defaultValue 300
   */
  dpi?: number;
  /**
   * PDF pages whose every pixel is neutral gray come back with one channel (lossless; see
   * `neutralGray`), read straight from the canvas without the RGBA copy. Images ignore it.
   * @defaultValue false
   */
  grayWhenNeutral?: boolean;
}

export interface TextLayerOptions {
  /**
   * Resolution the word quads are given at, planned exactly as `renderPage` plans it (clamped and
   * lowered the same way), so text-layer words and a later render of the page line up.
   * @defaultValue 300
   */
  dpi?: number;
}

/** An opened document: pages are decoded one at a time, on demand. */
export interface DocumentSource {
  readonly type: DocumentType;
  readonly pageCount: number;
  /** Decodes or renders page `index` (0-based). Throws `DocumentError` for bad pages. */
  renderPage(index: number, options?: RenderOptions): Promise<Raster>;
  /**
   * PDFs only: page `index`'s text layer as words in page pixels, with a verdict on whether it
   * can be trusted (`text_layer`), must be OCR'd (`ocr`, with a reason) or holds images to OCR
   * (`mixed`). Throws `DocumentError` for pages that cannot be opened or are too large to render.
   */
  readTextLayer?(index: number, options?: TextLayerOptions): Promise<TextLayerPage>;
  /**
   * PDFs only: just the given regions of page `index` (page pixels at `options.dpi`, planned as
   * `renderPage` plans it), each rendered on its own canvas from one read of the page: a mixed
   * page's image regions, without painting and copying the whole page. Regions are clamped to
   * the page and rounded outwards to whole pixels; empty ones are left out.
   */
  renderRegions?(index: number, regions: readonly PixelBox[], options?: Pick<RenderOptions, 'dpi'>): Promise<RenderedRegion[]>;
  /** Releases the parser (pdfjs document, buffers). Safe to call twice. */
  close(): Promise<void>;
}
