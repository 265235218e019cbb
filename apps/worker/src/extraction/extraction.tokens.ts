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
  /** Part of the same printed word as the token before it (cut at a bracket): joined without a space. */
  glued?: true;
}

/** Upper-case letters and digits of a text (how values and keywords are compared). */
export function normalizeText(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * A word cut where a bracket meets text (`BAKERIES(KL)SDN` → `BAKERIES`, `(KL)`, `SDN`): the engine
 * glues a registration number or a branch to the name before it when the print leaves no space,
 * and a value then has to end inside a word. Each part gets its share of the word's box by its
 * characters. Returns the parts with their character offsets.
 */
export function bracketParts(text: string): Array<{ text: string; from: number; to: number }> {
  const parts: Array<{ text: string; from: number; to: number }> = [];
  const cut = /(?<=\S)(?=[(\[])|(?<=[)\]])(?=\S)/g;
  let from = 0;
  for (const m of text.matchAll(cut)) {
    parts.push({ text: text.slice(from, m.index), from, to: m.index });
    from = m.index;
  }
  parts.push({ text: text.slice(from), from, to: text.length });
  return parts;
}

function partBox(box: Bounds, length: number, from: number, to: number): Bounds {
  const w = box.xmax - box.xmin;
  return { ...box, xmin: box.xmin + (w * from) / length, xmax: box.xmin + (w * to) / length };
}

/**
 * The page's words in reading order, each with its line (words cut at brackets: {@link bracketParts}).
 * Table blocks count their cell lines as lines, so fields inside tables are found the same way.
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
        const box = boundsOf([w.quad]) as Bounds;
        for (const part of bracketParts(w.text)) {
          out.push({ text: part.text, norm: normalizeText(part.text), box: partBox(box, w.text.length, part.from, part.to), line, index: index++, confidence: w.confidence, ...(part.from > 0 ? { glued: true as const } : {}) });
        }
      }
      if (index > 0) line++;
    }
  }
  return out;
}

/** Tokens as text: a space between words, none inside a word cut at a bracket, a line break between lines when `lines`. */
export function tokensText(words: readonly Token[], lines = false): string {
  return words.map((w, j) => (j === 0 ? w.text : lines && words[j - 1]?.line !== w.line ? `\n${w.text}` : w.glued ? w.text : ` ${w.text}`)).join('');
}
