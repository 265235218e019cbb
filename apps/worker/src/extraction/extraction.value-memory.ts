import { normalizeText } from './extraction.tokens.ts';

/**
 * The values a category has held in the training documents, remembered as text: a team's
 * documents come again and again from the same senders, and a value seen before (a supplier's
 * name, its address) is read the same way on its next document, give or take a misread letter.
 * A candidate is described by how close its text is to the nearest remembered value of each
 * category (letter 3-grams, so one misread letter costs a few grams, not the match); the learner
 * decides per category how much that counts (a total that repeats an earlier total means little).
 * Nothing here knows a sender: what the memory is worth is learned from the data.
 */
export interface ValueMemory {
  /** Distinct training values as compared (upper-case letters and digits only, `normalizeText`). */
  values: string[];
}

/** Memory features per category: nearest value's 3-gram Dice similarity, and whether one equals the candidate. */
export const MEMORY_FEATURES = 2;
/**
 * Distinct values remembered per category, the most frequent first: a bound on model size and on
 * prediction time (about 10 ms per receipt page with 100 values per category, 2-core Xeon).
 */
const MAX_VALUES = 500;

/** Remembers each category's training values (`values[c]`: the texts of category c + 1). */
export function learnValueMemory(values: ReadonlyArray<readonly string[]>): ValueMemory[] {
  return values.map((texts) => {
    const counts = new Map<string, number>();
    for (const t of texts) {
      const form = normalizeText(t);
      if (form.length > 0) counts.set(form, (counts.get(form) ?? 0) + 1);
    }
    // Sorting is stable: among equally frequent values the first seen stays first.
    return { values: [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_VALUES).map(([v]) => v) };
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
  /** 3-gram → (value, count of the gram in it), as flat pairs. */
  postings: Map<string, number[]>;
  /** Number of 3-grams of each value. */
  sizes: Int32Array;
  /** Per value, 3-grams shared with the candidate at hand (reset after each). */
  shared: Int32Array;
}

function indexOf(memory: ValueMemory): MemoryIndex {
  const postings = new Map<string, number[]>();
  const sizes = new Int32Array(memory.values.length);
  memory.values.forEach((v, i) => {
    for (const [g, c] of gramCounts(v)) {
      sizes[i] = (sizes[i] as number) + c;
      let list = postings.get(g);
      if (!list) postings.set(g, (list = []));
      list.push(i, c);
    }
  });
  return { exact: new Set(memory.values), postings, sizes, shared: new Int32Array(memory.values.length) };
}

/** Indexes are built once per stored memory: a worker predicts many pages with one model version. */
const indexes = new WeakMap<ValueMemory, MemoryIndex>();
function cachedIndex(memory: ValueMemory): MemoryIndex {
  let index = indexes.get(memory);
  if (!index) indexes.set(memory, (index = indexOf(memory)));
  return index;
}

/** 3-gram Dice similarity (multiset) of a candidate to its nearest remembered value. */
function nearest(own: Map<string, number>, ownSize: number, index: MemoryIndex): number {
  const touched: number[] = [];
  for (const [g, c] of own) {
    const list = index.postings.get(g);
    if (!list) continue;
    for (let k = 0; k < list.length; k += 2) {
      const v = list[k] as number;
      if (index.shared[v] === 0) touched.push(v);
      index.shared[v] = (index.shared[v] as number) + Math.min(c, list[k + 1] as number);
    }
  }
  let best = 0;
  for (const v of touched) {
    best = Math.max(best, (2 * (index.shared[v] as number)) / (ownSize + (index.sizes[v] as number)));
    index.shared[v] = 0;
  }
  return best;
}

/**
 * Memory feature rows of candidate texts: per category, the 3-gram Dice similarity (multiset) of
 * the candidate to its nearest remembered value, and 1 when the candidate equals one.
 */
export function memoryFeatures(texts: readonly string[], memory: readonly ValueMemory[]): number[][] {
  const categories = memory.map(cachedIndex);
  return texts.map((text) => {
    const form = normalizeText(text);
    const own = gramCounts(form);
    let ownSize = 0;
    for (const c of own.values()) ownSize += c;
    const row: number[] = [];
    for (const index of categories) {
      if (form.length === 0 || index.sizes.length === 0) row.push(0, 0);
      else row.push(nearest(own, ownSize, index), index.exact.has(form) ? 1 : 0);
    }
    return row;
  });
}
