import { calibrationMaps, evaluate, type CategoryMetrics } from './extraction.evaluate.ts';
import { fitExtractor, loadExtractor, type ExtractorModel, type LabelledPage, type TrainOptions } from './extraction.model.ts';
import { defaultScorer } from './extraction.span-model.ts';

export interface TrainedExtractor {
  model: ExtractorModel;
  /** Per category, on the held-back documents. */
  metrics: Record<string, CategoryMetrics>;
  trainDocs: number;
  heldBackDocs: number;
}

/** Documents held back for validation: a fifth, at least one once there are five. */
export function heldBackCount(docs: number): number {
  return docs < 5 ? 0 : Math.max(1, Math.round(docs / 5));
}

/**
 * Validates on held-back documents (every fifth, in the given order), calibrates scores on them
 * (per category, drawn towards every category's answers together where a category has few),
 * then fits the served model on every document with that calibration.
 */
export async function trainExtractor(pages: readonly LabelledPage[], categories: readonly string[], given: TrainOptions = {}): Promise<TrainedExtractor> {
  // The validation fit sees fewer pages: it must still use the scorer the served fit will, or the
  // calibration fitted on its answers would map another scorer's scores.
  const options = { ...given, scorer: given.scorer ?? defaultScorer(pages.length) };
  const held = heldBackCount(pages.length);
  const step = held ? Math.floor(pages.length / held) : Infinity;
  const back = pages.filter((_, i) => held > 0 && i % step === step - 1).slice(0, held);
  const fit = pages.filter((p) => !back.includes(p));
  let metrics: Record<string, CategoryMetrics> = {};
  let calibration: ExtractorModel['calibration'] = categories.map(() => []);
  if (back.length > 0) {
    const validation = loadExtractor(await fitExtractor(fit, categories, options));
    const result = evaluate(validation, back);
    metrics = result.metrics;
    calibration = calibrationMaps(result.outcomes);
  }
  const model = await fitExtractor(pages, categories, options);
  return { model: { ...model, calibration }, metrics, trainDocs: fit.length, heldBackDocs: back.length };
}
