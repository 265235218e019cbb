import type { Bounds } from '@folio/ocr/geometry';
import type { NetworkOptions } from './extraction.network.ts';
import type { TreeOptions } from './extraction.trees.ts';
import type { Token } from './extraction.tokens.ts';

/**
 * What both learners share: the labelled training page, the values it holds (runs of words,
 * joined over lines), what the training values say about each category, and a found field.
 */
/** One training page: its OCR words and the category of each (0 = none). */
export interface LabelledPage {
  tokens: readonly Token[];
  width: number;
  height: number;
  labels: readonly number[];
  /** The annotated values (what `ocr_text` said), when known: teach how values sit inside words. */
  values?: ReadonlyArray<{ category: number; text: string; tokens: readonly number[] }>;
}

/** A value's exact character shape without spaces: letters `a`, digits `9`, punctuation kept (`10 Mar 2018` → `99aaa9999`). */
export function valueShape(text: string): string {
  return text.replace(/\s+/g, '').replace(/[A-Za-z]/g, 'a').replace(/[0-9]/g, '9');
}

/**
 * Cuts a value to its longest part shaped like the category's annotated values, when the engine
 * glued it to its neighbours (`10Mar201818:24` → `10Mar2018`). Unchanged when it already has such
 * a shape or no part has.
 */
export function trimToShape(text: string, shapes: readonly string[]): string {
  if (shapes.length === 0) return text;
  const set = new Set(shapes);
  const compact = text.replace(/\s+/g, '');
  if (set.has(valueShape(compact))) return text;
  const lengths = new Set(shapes.map((s) => s.length));
  let best = '';
  for (let from = 0; from < compact.length; from++) {
    for (const n of lengths) {
      const part = compact.slice(from, from + n);
      if (part.length === n && n > best.length && set.has(valueShape(part))) best = part;
    }
  }
  return best || text;
}


/** A field found on a page. */
export interface FieldCandidate {
  category: string;
  tokens: number[];
  text: string;
  box: Bounds;
  /** Mean probability of the value's words (calibrated when the model has a calibration). */
  score: number;
}

export interface TrainOptions extends NetworkOptions {
  /** Which learner fits: the span ranker (served) or the earlier word tagger (kept to compare). @defaultValue 'spans' */
  learner?: 'spans' | 'words';
  /** Learned keywords per category. @defaultValue 10 (span ranker), 12 (word tagger) */
  keywordsPerCategory?: number;
  /** Non-field words kept per field word: field words are rare, the rest are subsampled. @defaultValue 4 */
  negativesPerPositive?: number;
  seed?: number;
  /** Span ranker: learn what each category's values look like (shape features). @defaultValue true */
  shapes?: boolean;
  /** Span ranker: the candidate's place among the page's lines (size rank, lettered lines and blocks before it) as features. @defaultValue true */
  region?: boolean;
  /** Span ranker: where a candidate's lines start and stop (gaps, sizes, alignment around it) as features. @defaultValue true */
  boundary?: boolean;
  /** Span ranker: every run of whole lines overlapping a value is a negative, not only those drawn among the hard negatives. @defaultValue true */
  twins?: boolean;
  /** Span ranker: what scores its candidates, boosted trees or the network (the `NetworkOptions` above apply to it). @defaultValue 'trees' from 20 training pages, 'network' below */
  scorer?: 'trees' | 'network';
  /** Span ranker with trees: their size and fit. */
  trees?: TreeOptions;
  /** Span ranker: how near a candidate is to the values each category held in training (value memory) as features. @defaultValue true */
  memory?: boolean;
  /** Span ranker: the per-page ranking loss also covers multi-line categories. @defaultValue false */
  rankMultiLine?: boolean;
  /** Span ranker: easy (far from every value) and hard (overlapping a value) negatives kept per training page. @defaultValue easy: 2,400 over all pages, 40 to 120 per page; hard: 40 */
  negatives?: { easy?: number; hard?: number };
}

/** A calibration's value at a raw score: the rate of the last step at or below it (the first step's below them all; the raw score without steps). */
export function calibrated(steps: ReadonlyArray<[number, number]>, raw: number): number {
  if (steps.length === 0) return raw;
  let out = steps[0]?.[1] ?? raw;
  for (const [r, rate] of steps) if (raw >= r) out = rate;
  return out;
}

/** A small seeded generator, so a run trained twice on the same data fits the same forest. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Runs of consecutive words of one category on a page (one line each). */
export function groups(labels: readonly number[], tokens: readonly Token[], category: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  labels.forEach((l, i) => {
    const prev = cur[cur.length - 1];
    if (l === category && (prev === undefined || (prev === i - 1 && tokens[prev]?.line === tokens[i]?.line))) cur.push(i);
    else {
      if (cur.length) out.push(cur);
      cur = l === category ? [i] : [];
    }
  });
  if (cur.length) out.push(cur);
  return out;
}

/** Joins runs on adjacent lines into one value (multi-line categories). */
export function joinLines(runs: number[][], tokens: readonly Token[]): number[][] {
  const sorted = [...runs].sort((a, b) => (tokens[a[0] ?? 0]?.line ?? 0) - (tokens[b[0] ?? 0]?.line ?? 0));
  const out: number[][] = [];
  for (const run of sorted) {
    const last = out[out.length - 1];
    const lastLine = last ? tokens[last[last.length - 1] ?? 0]?.line ?? -9 : -9;
    const line = tokens[run[0] ?? 0]?.line ?? 0;
    if (last && line - lastLine <= 1) last.push(...run);
    else out.push([...run]);
  }
  return out;
}

/** What the training values say about each category: multi-line, several per page, glued inside longer words. */
export function categoryTraits(pages: readonly LabelledPage[], k: number): { multiLine: boolean[]; multiValued: boolean[]; trimShapes: string[][] } {
  const multiLine: boolean[] = [];
  const multiValued: boolean[] = [];
  const trimShapes: string[][] = [];
  for (let c = 1; c <= k; c++) {
    let lineRuns = 0;
    let values = 0;
    let pagesWith = 0;
    let pagesMany = 0;
    for (const p of pages) {
      const runs = groups(p.labels, p.tokens, c);
      if (runs.length === 0) continue;
      const joined = joinLines(runs, p.tokens);
      lineRuns += runs.length;
      values += joined.length;
      pagesWith++;
      if (joined.length > 1) pagesMany++;
    }
    multiLine.push(values > 0 && lineRuns / values > 1.2);
    const annotated = pages.flatMap((p) => (p.values ?? []).filter((v) => v.category === c).map((v) => ({ v, p })));
    const inside = annotated.filter(({ v, p }) => {
      const words = v.tokens.map((i) => p.tokens[i]?.text ?? '').join('').replace(/\s+/g, '');
      return words.length > v.text.replace(/\s+/g, '').length;
    });
    trimShapes.push(annotated.length > 0 && inside.length / annotated.length >= 0.2 ? [...new Set(annotated.map(({ v }) => valueShape(v.text)).filter((s) => s.length > 0))] : []);
    multiValued.push(pagesWith > 0 && pagesMany / pagesWith > 0.3);
  }
  return { multiLine, multiValued, trimShapes };
}
