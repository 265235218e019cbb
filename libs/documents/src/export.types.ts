import type { TextLayerQuad } from './text-layer.types.ts';

/*
 * The canonical page (libs/ocr `OcrPage`) as the exports read it, in structural types: this lib
 * imports no other lib, and an `OcrPage` is assignable to `ExportPage` as it is.
 */

export interface ExportWord {
  text: string;
  /** 0..1. */
  confidence: number;
  /** Page pixels, clockwise from the top-left as read. */
  quad: TextLayerQuad;
  /** `text_layer` words are already in a PDF's text; absent means OCR. */
  origin?: 'text_layer' | 'ocr';
}

export interface ExportLine {
  text: string;
  quad: TextLayerQuad;
  words: readonly ExportWord[];
}

export interface ExportBlock {
  kind: string;
  quad: TextLayerQuad;
  lines: readonly ExportLine[];
}

export interface ExportPage {
  /** Pixels at `dpi`. */
  width: number;
  height: number;
  dpi: number;
  /** How the page was read; absent on results older than the text layer (all OCR'd). */
  source?: 'text_layer' | 'ocr' | 'mixed';
  blocks: readonly ExportBlock[];
}
