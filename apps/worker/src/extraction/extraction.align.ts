import { normalizeText, type Token } from './extraction.tokens.ts';

/** A Nanonets annotation object: a category, its (possibly loose) box and the value it holds. */
export interface FieldAnnotation {
  name: string;
  ocrText: string;
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

export interface Alignment {
  /** Category index per token (0 = none; categories count from 1 in `categories` order). */
  labels: number[];
  /** Annotations that matched no OCR word. */
  unmatched: FieldAnnotation[];
  /** Each matched annotation's value and the words it was aligned to. */
  values: AlignedValue[];
}

export interface AlignedValue {
  /** Category index (from 1). */
  category: number;
  text: string;
  tokens: number[];
}

/** Edit distance, for the short strings of one box. */
function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** 1 for equal texts, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - levenshtein(a, b) / n;
}

/** Least similarity between an annotation's value and the words chosen for it. */
const MIN_SIMILARITY = 0.5;

/**
 * Labels the OCR words an annotation covers. A box may be loose (a whole line around the value)
 * and `ocr_text` may be part of what it covers: among the words whose centres lie in the box
 * (grown by half a text height), the contiguous run whose text is most like `ocr_text` is taken.
 * An empty `ocr_text` takes every word in the box.
 */
export function alignAnnotations(tokens: readonly Token[], annotations: readonly FieldAnnotation[], categories: readonly string[]): Alignment {
  const labels = new Array<number>(tokens.length).fill(0);
  const unmatched: FieldAnnotation[] = [];
  const values: AlignedValue[] = [];
  for (const a of annotations) {
    const category = categories.indexOf(a.name) + 1;
    if (category === 0) continue;
    const grow = (a.box.ymax - a.box.ymin) / 2;
    const inside = tokens
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => {
        const cx = (t.box.xmin + t.box.xmax) / 2;
        const cy = (t.box.ymin + t.box.ymax) / 2;
        return cx >= a.box.xmin - grow && cx <= a.box.xmax + grow && cy >= a.box.ymin - grow && cy <= a.box.ymax + grow;
      });
    const target = normalizeText(a.ocrText);
    if (inside.length === 0) {
      unmatched.push(a);
      continue;
    }
    if (target === '') {
      for (const { i } of inside) labels[i] = category;
      values.push({ category, text: inside.map(({ t }) => t.text).join(' '), tokens: inside.map(({ i }) => i) });
      continue;
    }
    let best = { from: 0, to: -1, sim: 0 };
    for (let from = 0; from < inside.length; from++) {
      let text = '';
      for (let to = from; to < inside.length && to < from + 24; to++) {
        text += inside[to]?.t.norm ?? '';
        const sim = similarity(text, target);
        if (sim > best.sim) best = { from, to, sim };
        if (text.length > target.length * 2 + 4) break;
      }
    }
    if (best.sim < MIN_SIMILARITY) {
      unmatched.push(a);
      continue;
    }
    const tokensOf: number[] = [];
    for (let k = best.from; k <= best.to; k++) {
      const i = inside[k]?.i ?? -1;
      labels[i] = category;
      tokensOf.push(i);
    }
    values.push({ category, text: a.ocrText, tokens: tokensOf });
  }
  return { labels, unmatched, values };
}
