import type { DocumentRefusal } from '@folio/documents';
import type { BudgetExcess, DocumentLimits, PageBudgetInput, TextLayerPage } from '@folio/documents';
import type { SheetSlot } from '@folio/ocr/region-sheet';

/** What every render thread is started with. */
export interface RenderThreadData {
  limits: DocumentLimits;
  /** Opened documents a thread keeps, so the pages of one file are parsed once. */
  cacheSize: number;
  /** zlib level of the stored page PNG (RENDER_PNG_COMPRESSION). */
  compressionLevel: number;
  /** What one PDF page may ask of pdfjs, checked before it parses or paints (defaults when absent). */
  budget?: PageBudgetInput;
}

/** Main thread → render thread. `bytes` is sent only after the thread asked for it. */
export type RenderRequest = {
  type: 'render';
  id: number;
  key: string;
  index: number;
  dpi: number;
  /** Read the PDF page's text layer first and render only when OCR needs the pixels. */
  textLayer: boolean;
  bytes?: Uint8Array;
};

/** A `DocumentError` (or any other error) across the thread boundary. */
export interface RenderFailure {
  name: string;
  message: string;
  /** The DocumentError's code and facts, when it was one. */
  refusal?: DocumentRefusal;
  /** The budget the page went over, when it was refused before painting. */
  budget?: BudgetExcess;
}

/**
 * A mixed page's image regions packed on one sheet (`packRegions`): its PNG (absent when no region
 * lies on the page) and where each region sits on it.
 */
export interface RenderedSheet<Bytes> {
  png: Bytes | undefined;
  slots: SheetSlot[];
}

/** Render thread → main thread. */
export type RenderResponse =
  | { type: 'ready' }
  | { type: 'need-bytes'; id: number }
  | { type: 'rendered'; id: number; png: Uint8Array | undefined; sheet?: RenderedSheet<Uint8Array>; layer: TextLayerPage | undefined; width: number; height: number; dpi: number }
  | { type: 'error'; id: number; error: RenderFailure };
