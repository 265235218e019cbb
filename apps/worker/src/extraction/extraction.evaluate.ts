import type { Extractor, LabelledPage } from './extraction.model.ts';
import { normalizeText } from './extraction.tokens.ts';

/** Precision, recall and F1 of one category on held-back documents. */
export interface CategoryMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Values in the held-back truth. */
  support: number;
  /** Values predicted. */
  predicted: number;
}

/** The annotated value of each category on a page: its words' text, normalized. */
function truthValues(page: LabelledPage, c: number): string {
  return normalizeText(page.tokens.filter((_, i) => page.labels[i] === c).map((t) => t.text).join(''));
}

/**
 * Scores an extractor on held-back pages: a prediction is right when its value equals the
 * annotated one (letters and digits, upper case). Also returns (raw score, right) pairs, from
 * which scores are calibrated.
 */
export function evaluate(extractor: Extractor, pages: readonly LabelledPage[]): { metrics: Record<string, CategoryMetrics>; outcomes: Array<Array<[number, boolean]>> } {
  const cats = extractor.model.categories;
  const counts = cats.map(() => ({ tp: 0, predicted: 0, support: 0 }));
  const outcomes: Array<Array<[number, boolean]>> = cats.map(() => []);
  for (const page of pages) {
    const found = extractor.predict(page.tokens, page.width, page.height, { raw: true });
    cats.forEach((name, ci) => {
      const truth = truthValues(page, ci + 1);
      const count = counts[ci] as { tp: number; predicted: number; support: number };
      if (truth) count.support++;
      for (const f of found.filter((x) => x.category === name)) {
        count.predicted++;
        const right = truth !== '' && normalizeText(f.text) === truth;
        if (right) count.tp++;
        outcomes[ci]?.push([f.score, right]);
      }
    });
  }
  const metrics: Record<string, CategoryMetrics> = {};
  cats.forEach((name, ci) => {
    const { tp, predicted, support } = counts[ci] as { tp: number; predicted: number; support: number };
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    metrics[name] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support, predicted };
  });
  return { metrics, outcomes };
}

interface Bin {
  from: number;
  right: number;
  n: number;
  /** Sum of the bin's raw scores. */
  raw: number;
}

/**
 * Raw scores sorted, cut into bins of at least `minBin`, adjacent bins pooled until rates no longer
 * fall as scores rise (pool-adjacent-violators), so a calibrated 0.9 is right about nine times in ten.
 */
function monotoneBins(outcomes: ReadonlyArray<[number, boolean]>, minBin: number): Bin[] {
  if (outcomes.length < minBin) return [];
  const sorted = [...outcomes].sort((a, b) => a[0] - b[0]);
  const bins: Bin[] = [];
  for (let i = 0; i < sorted.length; i += minBin) {
    const chunk = sorted.slice(i, i + minBin);
    bins.push({ from: chunk[0]?.[0] ?? 0, right: chunk.filter((o) => o[1]).length, n: chunk.length, raw: chunk.reduce((a, o) => a + o[0], 0) });
  }
  // Pool adjacent bins until the rates no longer fall as scores rise.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i + 1 < bins.length; i++) {
      const a = bins[i] as Bin;
      const b = bins[i + 1] as Bin;
      if (a.right / a.n > b.right / b.n) {
        bins.splice(i, 2, { from: a.from, right: a.right + b.right, n: a.n + b.n, raw: a.raw + b.raw });
        changed = true;
        break;
      }
    }
  }
  return bins;
}

/**
 * Answers a step's rate is drawn towards its raw score by, as if that many answers had said so:
 * with few held-back answers a bin's rate is mostly noise. @defaultValue 5
 */
const PRIOR_ANSWERS = 5;

/**
 * Steps from raw score to the rate at which held-back answers were right, one map for every
 * category: all categories' answers binned together (monotone bins, pool-adjacent-violators),
 * each bin's rate drawn towards its mean raw score by {@link PRIOR_ANSWERS} answers, kept
 * non-decreasing. A validation holds a fifth of the documents, so each category has only a
 * handful of answers there; maps per category were measured worse than this shared one (SROIE,
 * 9 splits, Brier score of the served scores on unseen receipts, 20 training receipts: own
 * steps per category 0.239, per category drawn towards a shared map 0.216, this 0.188; 100
 * receipts: 0.191, 0.176, 0.173). Returned per category, as models store it.
 */
export function calibrationMaps(outcomes: ReadonlyArray<ReadonlyArray<[number, boolean]>>, pseudo = PRIOR_ANSWERS): Array<Array<[number, number]>> {
  const all = outcomes.flat();
  const bins = monotoneBins(all, Math.max(3, Math.min(10, Math.floor(all.length / 4))));
  let floor = 0;
  const shared = bins.map((b): [number, number] => {
    const rate = Math.max(floor, (b.right + (pseudo * b.raw) / b.n) / (b.n + pseudo));
    floor = rate;
    return [b.from, rate];
  });
  return outcomes.map(() => shared.map(([r, rate]): [number, number] => [r, rate]));
}
