import { textShape } from './extraction.features.ts';

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

/** Shape features per category. */
export const SHAPE_FEATURES = 7;

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
  const out = rows.map(() => [] as number[]);
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
    rows.forEach(({ text, line }, i) => {
      const collapsed = rowShapes[i] as string;
      const seen = s.collapsed[collapsed] ?? 0;
      const grams = gramsOf(collapsed);
      let held = 0;
      for (const g of grams) held += s.grams[g] ?? 0;
      const chars = Math.max(1, text.replace(/\s+/g, '').length);
      const matched = seen > 0 && count > 0;
      (out[i] as number[]).push(
        seen,
        s.exact[exactShape(text)] ?? 0,
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
