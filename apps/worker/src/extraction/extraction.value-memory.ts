import { normalizeText } from './extraction.tokens.ts';

/**
 * The values a category has held in the training documents, remembered as text: a team's
 * documents come again and again from the same senders, and a value seen before (a supplier's
 * name, its address) is read the same way on its next document, give or take a misread letter.
 * A candidate is described by how close its text is to the nearest remembered value of each
 * category (letter 3-grams, so one misread letter costs a few grams, not the match); the learner
 * decides per category how much that counts (a total that repeats an earlier total means little).
 * Nothing here knows a sender: a model forgets nothing and learns the memory's worth from its data.
 */
export interface ValueMemory {
  /** Distinct training values as compared (upper-case letters and digits only, `normalizeText`). */
  values: string[];
}

/** Memory features per category: nearest value's 3-gram Dice similarity, and whether one equals the candidate. */
export const MEMORY_FEATURES = 2;
/** Distinct values remembered per category: a bound on model size and on prediction time. */
const MAX_VALUES = 2000;

/** Remembers each category's training values (`values[c]`: the texts of category c + 1). */
export function learnValueMemory(values: ReadonlyArray<readonly string[]>): ValueMemory[] {
  return values.map((texts) => {
    const distinct = new Set<string>();
    for (const t of texts) {
      const form = normalizeText(t);
      if (form.length > 0 && distinct.size < MAX_VALUES) distinct.add(form);
    }
    return { values: [...distinct] };
  });
}

function gramCounts(form: string): Map<string, number> {
  const s = `^${form}$`;
  const out = new Map<string, number>();
  for (let i = 0; i + 3 <= s.length; i++) {
    const g = s.slice(i, i + 3);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** One category's remembered values, indexed by 3-gram for the candidates of a page. */
interface MemoryIndex {
  exact: Set<string>;
  /** 3-gram → (value, count of the gram in it). */
  postings: Map<string, Array<[number, number]>>;
  /** Number of 3-grams of each value. */
  sizes: number[];
}

function indexOf(memory: ValueMemory): MemoryIndex {
  const postings = new Map<string, Array<[number, number]>>();
  const sizes = memory.values.map((v, i) => {
    const grams = gramCounts(v);
    let n = 0;
    for (const [g, c] of grams) {
      n += c;
      let list = postings.get(g);
      if (!list) postings.set(g, (list = []));
      list.push([i, c]);
    }
    return n;
  });
  return { exact: new Set(memory.values), postings, sizes };
}

/**
 * Memory feature rows of candidate texts: per category, the 3-gram Dice similarity (multiset) of
 * the candidate to its nearest remembered value, and 1 when the candidate equals one.
 */
export function memoryFeatures(texts: readonly string[], memory: readonly ValueMemory[]): number[][] {
  const indexes = memory.map(indexOf);
  const forms = texts.map(normalizeText);
  const grams = forms.map(gramCounts);
  return texts.map((_, i) => {
    const form = forms[i] as string;
    const own = grams[i] as Map<string, number>;
    let ownSize = 0;
    for (const c of own.values()) ownSize += c;
    const row: number[] = [];
    for (const index of indexes) {
      if (form.length === 0 || index.sizes.length === 0) {
        row.push(0, 0);
        continue;
      }
      const shared = new Map<number, number>();
      for (const [g, c] of own) {
        for (const [v, vc] of index.postings.get(g) ?? []) shared.set(v, (shared.get(v) ?? 0) + Math.min(c, vc));
      }
      let best = 0;
      for (const [v, n] of shared) best = Math.max(best, (2 * n) / (ownSize + (index.sizes[v] as number)));
      row.push(best, index.exact.has(form) ? 1 : 0);
    }
    return row;
  });
}
