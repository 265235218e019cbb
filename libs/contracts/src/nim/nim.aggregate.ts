import type { Block, OcrPage, Quad } from '@folio/ocr';

/**
 * Words, lines or paragraphs of a page, in reading order. Same meaning as `aggregate` in
 * libs/ocr/src/layout (not re-exported by `@folio/ocr`, whose index pulls in onnxruntime, so this
 * dependency-free copy keeps contracts importable by the API without the engine).
 */
export type AggregationLevel = 'word' | 'line' | 'paragraph';

/** One text element: its text, outline in page pixels (text-reading order), and confidence 0..1. */
export interface TextElement {
  text: string;
  quad: Quad;
  confidence: number;
}

/** Mean confidence weighted by characters, so a long line counts more than a stray mark. */
function weightedConfidence(items: readonly { text: string; confidence: number }[]): number {
  let sum = 0;
  let n = 0;
  for (const it of items) {
    const w = Math.max(1, it.text.length);
    sum += it.confidence * w;
    n += w;
  }
  return n === 0 ? 0 : sum / n;
}

function tableText(block: Block): string {
  return (block.table?.rows ?? [])
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
 * - `word`: every word (a line without words counts as one word);
 * - `line`: every line (for tables, every cell);
 * - `paragraph`: every block, lines joined by newlines (tables: cells by spaces, rows by newlines),
 *   confidence weighted by characters.
 */
export function aggregate(page: Pick<OcrPage, 'blocks'>, level: AggregationLevel): TextElement[] {
  const out: TextElement[] = [];
  for (const block of page.blocks) {
    if (level === 'paragraph') {
      const text = block.kind === 'table' && block.table ? tableText(block) : block.lines.map((l) => l.text).join('\n');
      out.push({ text, quad: block.quad, confidence: weightedConfidence(block.lines) });
      continue;
    }
    for (const line of block.lines) {
      if (level === 'line' || line.words.length === 0) out.push({ text: line.text, quad: line.quad, confidence: line.confidence });
      else for (const w of line.words) out.push({ text: w.text, quad: w.quad, confidence: w.confidence });
    }
  }
  return out;
}
