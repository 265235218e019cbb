import { learnVocabulary, pageContext, pageFeatures } from './extraction.features.ts';
import { compileNetwork, fitNetwork, type NetworkWeights } from './extraction.network.ts';
import { fitSpanModel, spanPredictor, type PredictOptions, type SpanModel } from './extraction.span-model.ts';
import type { Token } from './extraction.tokens.ts';
import { calibrated, categoryTraits, groups, joinLines, seeded, trimToShape, type FieldCandidate, type LabelledPage, type TrainOptions } from './extraction.values.ts';

export { trimToShape, valueShape, type FieldCandidate, type LabelledPage, type TrainOptions } from './extraction.values.ts';

/** The fitted extractor, as stored in S3 (JSON): a span ranker, or (versions trained before it) a word tagger. */
export type ExtractorModel = WordModel | SpanModel;

/** The word tagger: each word labelled alone, values glued from runs of labelled words. */
export interface WordModel {
  format: 'folio-fields-mlp/1';
  categories: string[];
  vocabulary: string[];
  /** Per category: values run over several lines (an address), so adjacent lines join. */
  multiLine: boolean[];
  /** Per category: a page holds several values (items), so every candidate above 0.5 is kept. */
  multiValued: boolean[];
  /** Per category: shapes of annotated values that sat inside longer OCR words (empty: values are whole words). */
  trimShapes: string[][];
  /** Per category: raw score → calibrated score, as (raw, rate) steps from held-back data. */
  calibration: Array<Array<[number, number]>>;
  network: NetworkWeights;
}

export async function fitExtractor(pages: readonly LabelledPage[], categories: readonly string[], options: TrainOptions = {}): Promise<ExtractorModel> {
  if ((options.learner ?? 'spans') === 'spans') return fitSpanModel(pages, categories, options);
  const k = categories.length;
  const vocabulary = learnVocabulary(
    pages.map((p) => p.tokens),
    pages.map((p) => p.labels),
    k,
    options.keywordsPerCategory,
  );
  const { multiLine, multiValued, trimShapes } = categoryTraits(pages, k);
  const rand = seeded(options.seed ?? 7);
  const x: number[][] = [];
  const y: number[] = [];
  const ratio = options.negativesPerPositive ?? 4;
  for (const p of pages) {
    const feats = pageFeatures(pageContext(p.tokens, p.width, p.height), vocabulary);
    const positives = p.labels.filter((l) => l > 0).length;
    const keep = Math.min(1, (Math.max(positives, 3) * ratio) / Math.max(1, p.labels.length - positives));
    feats.forEach((f, i) => {
      const label = p.labels[i] ?? 0;
      if (label === 0 && rand() > keep) return;
      x.push(f);
      y.push(label);
    });
  }
  if (new Set(y).size < 2) throw new Error('no labelled words to learn from');
  const network = await fitNetwork(x, y, k + 1, options);
  return { format: 'folio-fields-mlp/1', categories: [...categories], vocabulary, multiLine, multiValued, trimShapes, calibration: categories.map(() => []), network };
}

/** A loaded extractor: weights prepared once, then pages predicted with it. */
export interface Extractor {
  model: ExtractorModel;
  /** Fields found; `raw` skips calibration (what calibration itself is fitted on). */
  predict(tokens: readonly Token[], width: number, height: number, options?: PredictOptions): FieldCandidate[];
}

/** Least probability for a word to be part of a candidate value. */
const WORD_THRESHOLD = 0.25;

export function loadExtractor(model: ExtractorModel): Extractor {
  if (model.format === 'folio-fields-spans/1') {
    const predict = spanPredictor(model);
    return { model, predict };
  }
  const k = model.categories.length;
  const votes = (tokens: readonly Token[], width: number, height: number): number[][] => {
    if (tokens.length === 0) return [];
    const feats = pageFeatures(pageContext(tokens, width, height), model.vocabulary);
    return compileNetwork(model.network)(feats);
  };
  return {
    model,
    predict(tokens, width, height, options = {}) {
      const v = votes(tokens, width, height);
      const out: FieldCandidate[] = [];
      for (let c = 1; c <= k; c++) {
        const labels = v.map((s) => ((s[c] ?? 0) >= WORD_THRESHOLD ? c : 0));
        let runs = groups(labels, tokens, c);
        if (model.multiLine[c - 1]) runs = joinLines(runs, tokens);
        const scored = runs
          .map((run) => ({ run, raw: run.reduce((s, i) => s + (v[i]?.[c] ?? 0), 0) / run.length }))
          .sort((a, b) => b.raw - a.raw);
        const kept = model.multiValued[c - 1] ? scored.filter((s, i) => i === 0 || s.raw >= 0.5) : scored.slice(0, 1);
        for (const { run, raw } of kept) {
          const words = run.map((i) => tokens[i] as Token);
          const text = words
            .map((w, j) => (j > 0 && words[j - 1]?.line !== w.line ? `\n${w.text}` : j > 0 ? ` ${w.text}` : w.text))
            .join('');
          out.push({
            category: model.categories[c - 1] as string,
            tokens: run,
            text: trimToShape(text, model.trimShapes?.[c - 1] ?? []),
            box: {
              xmin: Math.min(...words.map((w) => w.box.xmin)),
              ymin: Math.min(...words.map((w) => w.box.ymin)),
              xmax: Math.max(...words.map((w) => w.box.xmax)),
              ymax: Math.max(...words.map((w) => w.box.ymax)),
            },
            score: options.raw ? raw : calibrated(model.calibration[c - 1] ?? [], raw),
          });
        }
      }
      return out;
    },
  };
}
