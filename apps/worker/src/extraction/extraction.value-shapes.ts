import { numberOf, textShape } from './extraction.features.ts';

/**
 * What a category's values look like, learned from its training values as the engine read them:
 * their character-class shapes (`19/10/2018` → `9/9/9`, exact `99/99/9999`), the shapes' 3-grams,
 * and their typical length. A candidate is then described by how much it looks like each
 * category's values, and by how many candidates of its page look that way too (a date is often
 * the only date-shaped text of its page; an amount shape recurs on every line of a bill). Nothing
 * names a shape: a category of tracking numbers learns `X9X` as readily as dates learn `9/9/9`.
 */
export interface ValueShapes {
  /** Collapsed shape → share of the category's values that have it. */
  collapsed: Record<string, number>;
  /** Exact shape (letters `a`, digits `9`, no spaces) → share of the category's values. */
  exact: Record<string, number>;
  /** 3-grams of the collapsed shape between `^` and `$` → share of the values holding it. */
  grams: Record<string, number>;
  /** Median length of the values, in characters without spaces. */
  chars: number;
}

/** Shape features per category, after the {@link NUMBER_FEATURES} that hold for every category. */
export const SHAPE_FEATURES = 7;
/** Features of a number among the page's numbers written the same way. */
export const NUMBER_FEATURES = 3;

const exactShape = (text: string) => text.replace(/\s+/g, '').replace(/[A-Za-z]/g, 'a').replace(/[0-9]/g, '9');

function gramsOf(collapsed: string): Set<string> {
  const s = `^${collapsed}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

const share = (counts: Map<string, number>, n: number): Record<string, number> => Object.fromEntries([...counts].map(([k, v]) => [k, v / n]));

/** Learns each category's value shapes from its training values (`values[c]`: the texts of category c + 1). */
export function learnValueShapes(values: ReadonlyArray<readonly string[]>): ValueShapes[] {
  return values.map((texts) => {
    const collapsed = new Map<string, number>();
    const exact = new Map<string, number>();
    const grams = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const t of texts) {
      const c = textShape(t);
      bump(collapsed, c);
      bump(exact, exactShape(t));
      for (const g of gramsOf(c)) bump(grams, g);
    }
    const n = Math.max(1, texts.length);
    const lengths = texts.map((t) => t.replace(/\s+/g, '').length).sort((a, b) => a - b);
    return { collapsed: share(collapsed, n), exact: share(exact, n), grams: share(grams, n), chars: lengths[lengths.length >> 1] ?? 1 };
  });
}

/** A candidate as the shape features see it: its text and the line it starts on. */
export interface ShapedText {
  text: string;
  line: number;
}

/**
 * Shape feature rows of candidates (`rows`) of one page whose candidates are `page`: per
 * category, how common the candidate's collapsed and exact shapes are among the category's
 * values, how many of its shape's 3-grams they hold, how near its length is to theirs, and, among
 * the page's candidates whose collapsed shape the category has seen, how many there are and
 * whether this one comes first or last on the page.
 */
export function shapeFeatures(rows: readonly ShapedText[], page: readonly ShapedText[], shapes: readonly ValueShapes[]): number[][] {
  const pageShapes = page.map((p) => textShape(p.text));
  const rowShapes = rows === page ? pageShapes : rows.map((r) => textShape(r.text));
  const rowGrams = rowShapes.map(gramsOf);
  const rowExact = rows.map((r) => exactShape(r.text));
  const rowChars = rows.map((r) => Math.max(1, r.text.replace(/\s+/g, '').length));
  const out = numberFeatures(rows, rowShapes, page, pageShapes);
  for (const s of shapes) {
    let count = 0;
    let firstLine = Infinity;
    let lastLine = -Infinity;
    pageShapes.forEach((c, i) => {
      if (!(s.collapsed[c] ?? 0)) return;
      const line = (page[i] as ShapedText).line;
      count++;
      firstLine = Math.min(firstLine, line);
      lastLine = Math.max(lastLine, line);
    });
    rows.forEach(({ line }, i) => {
      const seen = s.collapsed[rowShapes[i] as string] ?? 0;
      const grams = rowGrams[i] as Set<string>;
      let held = 0;
      for (const g of grams) held += s.grams[g] ?? 0;
      const chars = rowChars[i] as number;
      const matched = seen > 0 && count > 0;
      (out[i] as number[]).push(
        seen,
        s.exact[rowExact[i] as string] ?? 0,
        grams.size ? held / grams.size : 0,
        Math.max(0, 1 - Math.abs(Math.log(chars / Math.max(1, s.chars)))),
        matched ? 1 / count : 0,
        matched && line === firstLine ? 1 : 0,
        matched && line === lastLine ? 1 : 0,
      );
    });
  }
  return out;
}

/**
 * A number's rank by value among the page's candidates of the same collapsed shape (largest
 * first), whether it is their largest, and how often its value recurs among them: amounts are
 * compared with amounts (`9.9`), not with phone or invoice numbers, and a sum is often both the
 * largest of its kind and printed more than once.
 */
function numberFeatures(rows: readonly ShapedText[], rowShapes: readonly string[], page: readonly ShapedText[], pageShapes: readonly string[]): number[][] {
  // A number is one token with a digit; a run of words is no number even if it holds one.
  const valueOf = (text: string) => (/\d/.test(text) && !/\s/.test(text.trim()) ? numberOf(text) : null);
  const byShape = new Map<string, number[]>();
  page.forEach((p, i) => {
    const n = valueOf(p.text);
    if (n === null) return;
    const shape = pageShapes[i] as string;
    const list = byShape.get(shape) ?? [];
    list.push(n);
    byShape.set(shape, list);
  });
  for (const list of byShape.values()) list.sort((a, b) => b - a);
  return rows.map((r, i) => {
    const n = valueOf(r.text);
    const list = n === null ? undefined : byShape.get(rowShapes[i] as string);
    if (n === null || !list) return [-1, 0, 0];
    const rank = list.findIndex((v) => v <= n);
    return [Math.min(Math.max(0, rank), 10) / 10, rank === 0 ? 1 : 0, Math.min(list.filter((v) => v === n).length - 1, 3) / 3];
  });
}
