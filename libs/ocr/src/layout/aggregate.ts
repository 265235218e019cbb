/**
 * Flattens a page's blocks into text elements at one level, for dialects that ask for words,
 * lines or paragraphs (NIM's `aggregation level`). Reading order is kept.
 */
import type { Block, OcrPage, Quad } from '../page.ts';
import { meanConfidence } from './fragments.ts';

/** How finely {@link aggregate} cuts the text. */
export type AggregationLevel = 'word' | 'line' | 'paragraph';

/** One text element: its text, outline in page pixels, and confidence 0..1. */
export interface TextElement {
  text: string;
  quad: Quad;
  confidence: number;
}

/** A table block's text: cells of a row separated by spaces, rows by newlines. */
function tableText(block: Block): string {
  const rows = block.table?.rows ?? [];
  return rows
    .map((row) =>
      row
        .flat()
        .map((i) => block.lines[i]?.text ?? '')
        .filter((t) => t !== '')
        .join(' '),
    )
    .join('\n');
}

/**
 * Elements of `page` at `level`, in reading order.
 * - `word`: every word (a line without words counts as one word);
 * - `line`: every line (for tables, every cell);
 * - `paragraph`: every block, its lines joined by newlines (tables: cells by spaces, rows by newlines),
 *   confidence weighted by characters.
 */
export function aggregate(page: Pick<OcrPage, 'blocks'>, level: AggregationLevel): TextElement[] {
  const out: TextElement[] = [];
  for (const block of page.blocks) {
    if (level === 'paragraph') {
      const text = block.kind === 'table' && block.table ? tableText(block) : block.lines.map((l) => l.text).join('\n');
      out.push({ text, quad: block.quad, confidence: meanConfidence(block.lines) });
      continue;
    }
    for (const line of block.lines) {
      if (level === 'line' || line.words.length === 0) out.push({ text: line.text, quad: line.quad, confidence: line.confidence });
      else for (const w of line.words) out.push({ text: w.text, quad: w.quad, confidence: w.confidence });
    }
  }
  return out;
}
