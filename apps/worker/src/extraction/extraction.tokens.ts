import type { OcrPage } from '@folio/ocr';
import { boundsOf, type Bounds } from '@folio/ocr/geometry';

/** One OCR word with where it sits: what the field extractor labels. */
export interface Token {
  text: string;
  /** Upper-case letters and digits only: what keywords and annotations are compared on. */
  norm: string;
  box: Bounds;
  /** Index of its line in reading order over the whole page. */
  line: number;
  /** Position in its line. */
  index: number;
  confidence: number;
}

/** Upper-case letters and digits of a text (how values and keywords are compared). */
export function normalizeText(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The page's words in reading order, each with its line. Table blocks count their cell lines as
 * lines, so fields inside tables are found the same way.
 */
export function pageTokens(page: OcrPage): Token[] {
  const out: Token[] = [];
  let line = 0;
  for (const block of page.blocks) {
    for (const l of block.lines) {
      const words = l.words.length > 0 ? l.words : [{ text: l.text, confidence: l.confidence, quad: l.quad }];
      let index = 0;
      for (const w of words) {
        if (w.text.trim() === '') continue;
        out.push({ text: w.text, norm: normalizeText(w.text), box: boundsOf([w.quad]) as Bounds, line, index: index++, confidence: w.confidence });
      }
      if (index > 0) line++;
    }
  }
  return out;
}
