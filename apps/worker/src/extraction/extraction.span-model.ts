import { candidateSpans, spanText, type CandidateLimits, type Span } from './extraction.candidates.ts';
import { learnVocabulary, pageContext } from './extraction.features.ts';
import { negativeSpans } from './extraction.negatives.ts';
import { calibrated, categoryTraits, groups, joinLines, seeded, trimToShape, type FieldCandidate, type LabelledPage, type TrainOptions } from './extraction.values.ts';
import { compileNetwork, fitNetwork, type NetworkWeights } from './extraction.network.ts';
import { compileTrees, fitTrees, type TreeEnsemble } from './extraction.trees.ts';
import { boundaryFeatures } from './extraction.boundary-features.ts';
import { regionFeatures } from './extraction.region-features.ts';
import { spanFeatures } from './extraction.span-features.ts';
import { tokensText, type Token } from './extraction.tokens.ts';
import { learnValueShapes, shapeFeatures, type ValueShapes } from './extraction.value-shapes.ts';
import { learnValueMemory, memoryFeatures, type ValueMemory } from './extraction.value-memory.ts';

/**
 * The span ranker: every candidate value of a page (runs of words in a line, runs of lines for
 * categories whose values span lines) is scored by one scorer (softmax over "none" and the
 * categories: boosted trees, or the network) on the candidate's own features; each single-valued
 * category answers its best candidate, so the learner decides where a value starts and ends
 * instead of gluing words that were labelled one by one.
 */
export interface SpanModel {
  format: 'folio-fields-spans/1';
  categories: string[];
  vocabulary: string[];
  limits: CandidateLimits;
  multiLine: boolean[];
  multiValued: boolean[];
  trimShapes: string[][];
  /** Per category: raw score → calibrated score, as (raw, rate) steps from held-back data. */
  calibration: Array<Array<[number, number]>>;
  /**
   * The scorer, one of the two: boosted trees (fitted since 2026-12-08), or the network of versions
   * fitted before them (still loaded and served as they were).
   */
  trees?: TreeEnsemble;
  network?: NetworkWeights;
  /** Per category, what its values look like (absent in versions trained before shape features: they are scored without them). */
  shapes?: ValueShapes[];
  /** Whether the candidates' place among the page's lines (size rank, blocks before) is a feature (absent in versions trained before it). */
  region?: boolean;
  /** Whether where a candidate's lines start and stop (gaps, sizes, alignment around it) is a feature (absent in versions trained before it). */
  boundary?: boolean;
  /** Per category, the values it held in training (absent in versions trained before value memory: they are scored without it). */
  memory?: ValueMemory[];
}

/** Which optional feature groups a model's rows hold. */
interface FeatureGroups {
  region: boolean;
  boundary: boolean;
}

/** What a category's values look like and which ones it held: learned from training values, each optional. */
interface LearnedValues {
  shapes?: readonly ValueShapes[] | undefined;
  memory?: readonly ValueMemory[] | undefined;
}

/** Feature rows of a page's candidates: the span features, then the region, boundary, shape and memory features where the model has them. */
function candidateRows(tokens: readonly Token[], width: number, height: number, rows: readonly Span[], page: readonly Span[], vocabulary: readonly string[], learned: LearnedValues, groups: FeatureGroups): number[][] {
  const ctx = pageContext(tokens, width, height);
  const feats = spanFeatures(ctx, rows, vocabulary);
  for (const [on, of] of [[groups.region, regionFeatures], [groups.boundary, boundaryFeatures]] as const) {
    if (!on) continue;
    const extra = of(ctx, rows);
    feats.forEach((f, i) => f.push(...(extra[i] ?? [])));
  }
  const { shapes, memory } = learned;
  if (!shapes && !memory) return feats;
  const shaped = (spans: readonly Span[]) => spans.map((s) => ({ text: spanText(tokens, s), line: s.firstLine }));
  const pageTexts = shaped(page);
  const rowTexts = rows === page ? pageTexts : shaped(rows);
  if (shapes) {
    const extra = shapeFeatures(rowTexts, pageTexts, shapes);
    feats.forEach((f, i) => f.push(...(extra[i] ?? [])));
  }
  if (memory) {
    const extra = memoryFeatures(rowTexts.map((r) => r.text), memory);
    feats.forEach((f, i) => f.push(...(extra[i] ?? [])));
  }
  return feats;
}

/**
 * Candidates far from every annotated value kept per training page (the rest of the page's
 * candidates are dropped): about {@link EASY_BUDGET} over all pages, 40 to 120 per page. Few
 * pages need many negatives each to show what a value is not; many pages show it anyway, and
 * there 40 fitted better and twice as fast (SROIE, micro F1: 20 receipts 0.676 with 120 against
 * 0.657 with 40; 100 receipts 0.743 with 40 against 0.725 with 120).
 */
const EASY_BUDGET = 2400;
const easyNegatives = (pages: number) => Math.max(40, Math.min(120, Math.round(EASY_BUDGET / Math.max(1, pages))));
/**
 * Candidates overlapping an annotated value (near misses: one word too many or too few) kept per page.
 * Tried and not kept (SROIE, 20 receipts, 6 paired splits, --quick): 40 more negatives per page drawn
 * within two lines of a value −0.012 ± 0.008 micro F1; negatives mined by a first fit (its 5 best
 * wrong candidates per page and category, then fitted again) −0.001 ± 0.009 at twice the fit, fewer
 * wrong answers but more below the least score.
 */
const HARD_NEGATIVES = 40;
/**
 * Fewest training pages for boosted trees to score candidates; the network below. Trees measured
 * better from 20 pages up (SROIE, 9 paired splits: +0.033 micro F1 with 20 receipts, +0.020 with
 * 100), but on 12 generated shipping labels they cut a sender short where the network, whose
 * per-page ranking loss compares a value with its near twins, reads it whole.
 */
const TREES_FROM_PAGES = 20;

/** The scorer a span ranker fitted on this many training pages gets unless told otherwise. */
export const defaultScorer = (pages: number): 'trees' | 'network' => (pages >= TREES_FROM_PAGES ? 'trees' : 'network');
/** Least probability for a single-valued category to answer at all. */
const MIN_SCORE = 0.05;
/** Least probability for a further value of a multi-valued category. */
const MULTI_SCORE = 0.5;

/** The annotated values of a page as spans, with their category. */
function positiveSpans(page: LabelledPage, categories: number, multiLine: readonly boolean[]): Array<{ span: Span; category: number }> {
  const out: Array<{ span: Span; category: number }> = [];
  for (let c = 1; c <= categories; c++) {
    let runs = groups(page.labels, page.tokens, c);
    if (multiLine[c - 1]) runs = joinLines(runs, page.tokens);
    for (const run of runs) {
      const lines = run.map((i) => page.tokens[i]?.line ?? 0);
      out.push({ span: { tokens: run, firstLine: Math.min(...lines), lastLine: Math.max(...lines) }, category: c });
    }
  }
  return out;
}

/** Candidate limits from the training values: a little longer than the longest seen. */
function limitsOf(pages: readonly LabelledPage[], categories: number, multiLine: readonly boolean[]): CandidateLimits {
  let maxWords = 3;
  let maxLines = 1;
  for (const p of pages) {
    for (const { span } of positiveSpans(p, categories, multiLine)) {
      const perLine = new Map<number, number>();
      for (const i of span.tokens) perLine.set(p.tokens[i]?.line ?? 0, (perLine.get(p.tokens[i]?.line ?? 0) ?? 0) + 1);
      maxWords = Math.max(maxWords, ...perLine.values());
      maxLines = Math.max(maxLines, span.lastLine - span.firstLine + 1);
    }
  }
  return { maxWords: Math.min(24, maxWords + 2), maxLines: Math.min(10, maxLines > 1 ? maxLines + 1 : 1) };
}

export async function fitSpanModel(pages: readonly LabelledPage[], categories: readonly string[], options: TrainOptions = {}): Promise<SpanModel> {
  const k = categories.length;
  const traits = categoryTraits(pages, k);
  const vocabulary = learnVocabulary(
    pages.map((p) => p.tokens),
    pages.map((p) => p.labels),
    k,
    options.keywordsPerCategory ?? 10,
  );
  const limits = limitsOf(pages, k, traits.multiLine);
  const positivesOf = pages.map((p) => positiveSpans(p, k, traits.multiLine));
  const pageValues = pages.map((p, i) => categories.map((_, c) => (positivesOf[i] ?? []).filter((pos) => pos.category === c + 1).map((pos) => spanText(p.tokens, pos.span))));
  const valuesOf = (from: ReadonlyArray<string[][]>) => categories.map((_, c) => from.flatMap((v) => v[c] ?? []));
  const shapes = options.shapes === false ? undefined : learnValueShapes(valuesOf(pageValues));
  const memory = options.memory === false ? undefined : learnValueMemory(valuesOf(pageValues));
  // On by default: SROIE over 9 paired splits, +0.017 micro F1 with 100 receipts (about twice its
  // standard error), nothing measurable with 20; stored versions say whether they were fitted with it.
  const region = options.region !== false;
  // Both on by default: SROIE over 9 paired splits, +0.017 ± 0.007 micro F1 with 20 receipts (8 of 9
  // higher; addresses 0.468 → 0.510), −0.006 ± 0.011 with 100 (within noise). The twins teach what the
  // boundary features tell apart: the features alone +0.003 ± 0.006, the twins alone +0.004 on 3 splits.
  const boundary = options.boundary !== false;
  const twins = options.twins !== false;
  const rand = seeded(options.seed ?? 7);
  const x: number[][] = [];
  const y: number[] = [];
  const pageOfRow: number[] = [];
  for (const [pageIndex, p] of pages.entries()) {
    const positives = positivesOf[pageIndex] ?? [];
    const all = candidateSpans(p.tokens, limits);
    const negatives = negativeSpans(p.tokens, positives, all, { hard: options.negatives?.hard ?? HARD_NEGATIVES, easy: options.negatives?.easy ?? easyNegatives(pages.length), twins }, rand);
    const spans = [...positives.map((pos) => pos.span), ...negatives];
    const labels = [...positives.map((pos) => pos.category), ...spans.slice(positives.length).map(() => 0)];
    // A page's own values would make its positives match their own shapes exactly, which unseen
    // pages never do (a company name's shape is its own): its shapes are learned from the other pages.
    // Likewise its memory: a value counts as seen before only if another page held it.
    const elsewhere = valuesOf(pageValues.filter((_, other) => other !== pageIndex));
    const learned = { shapes: shapes && learnValueShapes(elsewhere), memory: memory && learnValueMemory(elsewhere) };
    const feats = candidateRows(p.tokens, p.width, p.height, spans, all, vocabulary, learned, { region, boundary });
    feats.forEach((f, i) => {
      x.push(f);
      y.push(labels[i] ?? 0);
      pageOfRow.push(pageIndex);
    });
  }
  if (!y.some((l) => l > 0)) throw new Error('no labelled values to learn from');
  // Each category answers its page's best candidate, so the fit also ranks a page's candidates
  // (+0.011 micro F1 on SROIE with 20 receipts). Not for multi-line categories: their value has
  // many near twins (one line more or less), and SROIE's addresses fell with them ranked (0.534 → 0.495
  // with 100 receipts; within noise, but nothing spoke for it).
  const rankCategories = options.rankMultiLine ? undefined : traits.multiLine.map((m) => !m);
  // Tried and not kept (20 receipts, paired splits): dropout 0.2 on the hidden layer −0.022 (3 splits,
  // none higher); two networks from other seeds averaged −0.006 (3 splits) at twice the fit; 16
  // keywords per category instead of 10 −0.017 (4 splits, none higher).
  const scorer =
    (options.scorer ?? defaultScorer(pages.length)) === 'trees'
      ? { trees: await fitTrees(x, y, k + 1, options.trees) }
      : { network: await fitNetwork(x, y, k + 1, { rankWeight: 1, ...(rankCategories ? { rankCategories } : {}), ...options }, pageOfRow) };
  return { format: 'folio-fields-spans/1', categories: [...categories], vocabulary, limits, ...traits, calibration: categories.map(() => []), ...scorer, ...(shapes ? { shapes } : {}), ...(region ? { region } : {}), ...(boundary ? { boundary } : {}), ...(memory ? { memory } : {}) };
}

export interface PredictOptions {
  /** Scores as the network gives them, uncalibrated (what calibration itself is fitted on). */
  raw?: boolean;
  /** Least raw probability for a single-valued category to answer. @defaultValue 0.05 */
  minScore?: number;
}

/** Predicts with a span model: candidates scored once, then each category's best (non-overlapping) answer. */
export function spanPredictor(model: SpanModel): (tokens: readonly Token[], width: number, height: number, options?: PredictOptions) => FieldCandidate[] {
  const k = model.categories.length;
  const net = model.trees ? compileTrees(model.trees) : compileNetwork(model.network as NetworkWeights);
  return (tokens, width, height, options = {}) => {
    if (tokens.length === 0) return [];
    const spans = candidateSpans(tokens, model.limits);
    const probs = net(candidateRows(tokens, width, height, spans, spans, model.vocabulary, { shapes: model.shapes, memory: model.memory }, { region: model.region === true, boundary: model.boundary === true }));
    const ranked: Array<{ c: number; s: number; p: number }> = [];
    for (let c = 1; c <= k; c++) {
      const multi = model.multiLine[c - 1];
      probs.forEach((row, s) => {
        const p = row[c] ?? 0;
        // Multi-line candidates only compete for categories whose values span lines.
        if (!multi && (spans[s] as Span).lastLine !== (spans[s] as Span).firstLine) return;
        if (p >= (options.minScore ?? MIN_SCORE)) ranked.push({ c, s, p });
      });
    }
    ranked.sort((a, b) => b.p - a.p);
    const taken = new Set<number>();
    const answered = new Array<number>(k + 1).fill(0);
    const out: FieldCandidate[] = [];
    for (const { c, s, p } of ranked) {
      const multi = model.multiValued[c - 1];
      if (answered[c] && (!multi || p < MULTI_SCORE)) continue;
      const span = spans[s] as Span;
      if (span.tokens.some((i) => taken.has(i))) continue;
      for (const i of span.tokens) taken.add(i);
      answered[c] = (answered[c] ?? 0) + 1;
      const words = span.tokens.map((i) => tokens[i] as Token);
      const text = tokensText(words, true)
        // A space the engine read after a decimal point (`62. 80`) is not part of the value.
        .replace(/(\d[.,]) (?=\d)/g, '$1');
      out.push({
        category: model.categories[c - 1] as string,
        tokens: span.tokens,
        text: trimToShape(text, model.trimShapes[c - 1] ?? []),
        box: {
          xmin: Math.min(...words.map((w) => w.box.xmin)),
          ymin: Math.min(...words.map((w) => w.box.ymin)),
          xmax: Math.max(...words.map((w) => w.box.xmax)),
          ymax: Math.max(...words.map((w) => w.box.ymax)),
        },
        score: options.raw ? p : calibrated(model.calibration[c - 1] ?? [], p),
      });
    }
    return out;
  };
}
