import type { OcrPage } from '@folio/ocr';
import { boundsOf, pixelBox, type Bounds } from '@folio/ocr/geometry';
import type { ReviewWordView } from './review.responses.ts';

/**
 * The OCR words of a canonical page in reading order, as integer page-pixel boxes: what the review
 * page lets a reviewer select to add a field. A line read without word boxes counts as one word.
 * Null or malformed results (pages never recognized) have no words.
 */
export function reviewWords(result: unknown): ReviewWordView[] {
  const page = result as Partial<OcrPage> | null;
  if (!page || !Array.isArray(page.blocks) || typeof page.width !== 'number' || typeof page.height !== 'number') return [];
  const out: ReviewWordView[] = [];
  let line = 0;
  for (const block of page.blocks) {
    for (const l of block.lines) {
      const words = l.words.length > 0 ? l.words : [{ text: l.text, confidence: l.confidence, quad: l.quad }];
      let any = false;
      for (const w of words) {
        if (w.text.trim() === '') continue;
        out.push({ text: w.text, ...pixelBox(boundsOf([w.quad]) as Bounds, page.width, page.height), score: w.confidence, line });
        any = true;
      }
      if (any) line++;
    }
  }
  return out;
}
