import type { Token } from './extraction.tokens.ts';

/**
 * Word features for the field classifier: the text's shape, the word's place on the page and in
 * its line, its neighbours, and which learned keywords sit on its line or the lines around it.
 * Nothing here names a document type: the keywords come from the training data.
 */

/** Page context computed once per page. */
export interface PageContext {
  tokens: readonly Token[];
  width: number;
  height: number;
  lineCount: number;
  /** Tokens of each line, in order. */
  lines: Token[][];
  /** Extent of each line on the page; null for a line without words. */
  lineBoxes: Array<LineBox | null>;
  medianHeight: number;
  /** Numbers on the page (for rank features), largest first. */
  numbers: number[];
}

/** Where a line's words lie on the page, and their mean height. */
export interface LineBox {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}

function lineBoxOf(line: readonly Token[]): LineBox | null {
  if (line.length === 0) return null;
  return {
    top: Math.min(...line.map((t) => t.box.ymin)),
    bottom: Math.max(...line.map((t) => t.box.ymax)),
    left: Math.min(...line.map((t) => t.box.xmin)),
    right: Math.max(...line.map((t) => t.box.xmax)),
    height: line.reduce((s, t) => s + (t.box.ymax - t.box.ymin), 0) / line.length,
  };
}

const PUNCT = ['/', '.', ',', ':', '-', '(', ')', '&', '@', '#', '%', '$', '*'] as const;
/** Buckets of the hashed collapsed text shape (`Xx9.9`). */
const SHAPE_BUCKETS = 16;

export function pageContext(tokens: readonly Token[], width: number, height: number): PageContext {
  const lineCount = tokens.length === 0 ? 0 : Math.max(...tokens.map((t) => t.line)) + 1;
  const lines: Token[][] = Array.from({ length: lineCount }, () => []);
  for (const t of tokens) lines[t.line]?.push(t);
  const heights = tokens.map((t) => t.box.ymax - t.box.ymin).sort((a, b) => a - b);
  const numbers = tokens.map((t) => numberOf(t.text)).filter((n): n is number => n !== null).sort((a, b) => b - a);
  return { tokens, width: Math.max(1, width), height: Math.max(1, height), lineCount, lines, lineBoxes: lines.map(lineBoxOf), medianHeight: heights[heights.length >> 1] || 1, numbers };
}

/** The number a word writes (`1,234.50`, `RM12.00` → 12), or null. */
export function numberOf(text: string): number | null {
  const m = /(\d[\d,]*(?:\.\d+)?)\s*$/.exec(text.replace(/^[^\d]*/, ''));
  if (!m?.[1]) return null;
  const n = Number(m[1].replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Collapsed character-class shape: `19/10/2018` → `9/9/9`, `Total:` → `Xx:`. */
export function textShape(text: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    const c = k >= 65 && k <= 90 ? 'X' : k >= 97 && k <= 122 ? 'x' : k >= 48 && k <= 57 ? '9' : (text[i] as string);
    if (c !== last) out += c;
    last = c;
  }
  return out;
}

function hashBucket(s: string, buckets: number): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % buckets;
}

export function textFeatures(text: string): number[] {
  const n = Math.max(1, text.length);
  let digits = 0;
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letters++;
      if (c <= 90) upper++;
    }
  }
  const decimals = /\.(\d+)\s*$/.exec(text)?.[1]?.length ?? 0;
  const shape = new Array<number>(SHAPE_BUCKETS).fill(0);
  shape[hashBucket(textShape(text), SHAPE_BUCKETS)] = 1;
  return [
    Math.min(text.length, 40) / 40,
    digits / n,
    letters / n,
    letters ? upper / letters : 0,
    (n - digits - letters) / n,
    ...PUNCT.map((p) => (text.includes(p) ? 1 : 0)),
    /^[0-9]/.test(text) ? 1 : 0,
    /[0-9]$/.test(text) ? 1 : 0,
    numberOf(text) !== null ? 1 : 0,
    Math.min(decimals, 4) / 4,
    (text.match(/\d+/g) ?? []).length / 4,
    ...shape,
  ];
}

/** Keywords (normalized words) learned per model, in a fixed order. */
export type Vocabulary = readonly string[];

function keywordFlags(tokens: readonly Token[] | undefined, vocab: Vocabulary, index: Map<string, number>): number[] {
  const flags = new Array<number>(vocab.length).fill(0);
  for (const t of tokens ?? []) {
    const i = index.get(t.norm);
    if (i !== undefined) flags[i] = 1;
  }
  return flags;
}

/** Feature rows of every token of a page, in token order. */
export function pageFeatures(ctx: PageContext, vocab: Vocabulary): number[][] {
  const index = new Map(vocab.map((k, i) => [k, i]));
  const lineFeatures = ctx.lines.map((line) => {
    const text = line.map((t) => t.text).join(' ');
    const x0 = Math.min(...line.map((t) => t.box.xmin));
    const x1 = Math.max(...line.map((t) => t.box.xmax));
    const h = line.reduce((s, t) => s + (t.box.ymax - t.box.ymin), 0) / Math.max(1, line.length);
    return [...textFeatures(text).slice(0, 5), x0 / ctx.width, x1 / ctx.width, ((x0 + x1) / 2 - ctx.width / 2) / ctx.width, h / ctx.medianHeight, line.length / 10];
  });
  const lineWidth = (line: number) => lineFeatures[line]?.length ?? 0;
  const emptyLine = new Array<number>(lineWidth(0) || 10).fill(-1);
  const own = new Map<Token, number[]>(ctx.tokens.map((t) => [t, textFeatures(t.text)]));
  const none = [-1, -1, -1, -1, -1];
  return ctx.tokens.map((t) => {
    const line = ctx.lines[t.line] ?? [];
    const prev = line[t.index - 1];
    const next = line[t.index + 1];
    const n = numberOf(t.text);
    const rank = n === null ? -1 : ctx.numbers.indexOf(n);
    const sameValue = n === null ? 0 : ctx.numbers.filter((v) => v === n).length;
    const left = line.slice(0, t.index);
    const right = line.slice(t.index + 1);
    return [
      ...(own.get(t) ?? []),
      (t.box.xmin + t.box.xmax) / 2 / ctx.width,
      (t.box.ymin + t.box.ymax) / 2 / ctx.height,
      (t.box.xmax - t.box.xmin) / ctx.width,
      (t.box.ymax - t.box.ymin) / ctx.medianHeight,
      ctx.lineCount ? t.line / ctx.lineCount : 0,
      Math.min(t.line, 20) / 20,
      Math.min(ctx.lineCount - 1 - t.line, 20) / 20,
      Math.min(t.index, 10) / 10,
      Math.min(line.length - 1 - t.index, 10) / 10,
      t.confidence,
      rank < 0 ? -1 : Math.min(rank, 10) / 10,
      rank === 0 ? 1 : 0,
      Math.min(sameValue, 4) / 4,
      ...(prev ? (own.get(prev) ?? none).slice(0, 5) : none),
      ...(next ? (own.get(next) ?? none).slice(0, 5) : none),
      prev ? (t.box.xmin - prev.box.xmax) / ctx.medianHeight : -1,
      next ? (next.box.xmin - t.box.xmax) / ctx.medianHeight : -1,
      ...(lineFeatures[t.line] ?? emptyLine),
      ...(lineFeatures[t.line - 1] ?? emptyLine),
      ...(lineFeatures[t.line + 1] ?? emptyLine),
      index.has(t.norm) ? 1 : 0,
      ...keywordFlags(left, vocab, index),
      ...keywordFlags(right, vocab, index),
      ...keywordFlags(ctx.lines[t.line - 1], vocab, index),
      ...keywordFlags(ctx.lines[t.line + 1], vocab, index),
    ];
  });
}

/**
 * Learns the keywords worth watching: normalized words (two characters or more, a letter among
 * them) that sit on, above or below the labelled words of a category far more often than
 * elsewhere. `labels[p][i]` is token i's category on page p (0 = none).
 * @param perCategory keywords kept per category @defaultValue 12
 */
export function learnVocabulary(pages: readonly (readonly Token[])[], labels: readonly (readonly number[])[], categories: number, perCategory = 12): string[] {
  const overall = new Map<string, number>();
  const near: Map<string, number>[] = Array.from({ length: categories + 1 }, () => new Map());
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  pages.forEach((tokens, p) => {
    const seen = new Set<string>();
    for (const t of tokens) if (t.norm.length >= 2 && /[A-Z]/.test(t.norm)) seen.add(t.norm);
    for (const k of seen) bump(overall, k);
    for (let c = 1; c <= categories; c++) {
      const lines = new Set(tokens.filter((_, i) => labels[p]?.[i] === c).map((t) => t.line));
      const words = new Set<string>();
      for (const t of tokens) {
        if (t.norm.length < 2 || !/[A-Z]/.test(t.norm)) continue;
        if (lines.has(t.line) || lines.has(t.line + 1) || lines.has(t.line - 1)) words.add(t.norm);
      }
      for (const k of words) bump(near[c] as Map<string, number>, k);
    }
  });
  const vocab = new Set<string>();
  for (let c = 1; c <= categories; c++) {
    const ranked = [...(near[c] as Map<string, number>).entries()]
      .filter(([, n]) => n >= 2)
      .map(([k, n]) => [k, (n * n) / ((overall.get(k) ?? n) + 2)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, perCategory);
    for (const [k] of ranked) vocab.add(k);
  }
  return [...vocab];
}
