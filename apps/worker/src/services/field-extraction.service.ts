import type { PredictionInput } from '@folio/db';
import type { OcrPage } from '@folio/ocr';
import { loadExtractor, type Extractor } from '../extraction/extraction.model.ts';
import { parseExtractorModel } from '../extraction/extraction.model.schema.ts';
import { pageTokens } from '../extraction/extraction.tokens.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** Loaded extractors by version id; a version never changes, so nothing goes stale. */
const loaded = new Map<string, Promise<Extractor>>();
/** Versions kept loaded per process (each a few hundred kB of weights). */
const MAX_LOADED = 32;

async function extractorFor(deps: WorkerDeps, versionId: string): Promise<Extractor | null> {
  let pending = loaded.get(versionId);
  if (!pending) {
    pending = (async () => {
      const version = await deps.db.training.findVersion(versionId);
      if (!version) throw new Error(`model version ${versionId} is gone`);
      return loadExtractor(parseExtractorModel(JSON.parse((await deps.storage.getBuffer(version.storageKey)).toString('utf8'))));
    })();
    if (loaded.size >= MAX_LOADED) loaded.delete(loaded.keys().next().value as string);
    loaded.set(versionId, pending);
    pending.catch(() => loaded.delete(versionId));
  }
  return pending;
}

/**
 * The fields of a page whose model serves a trained version: one `field` prediction per value
 * found (label = category, the value's words, their union box, calibrated score, `label_id` =
 * the version's category index). Null for a full-text model, whose lines stay the predictions.
 */
export async function fieldPredictions(deps: WorkerDeps, page: { modelId: string | null; orgId: string }, result: OcrPage): Promise<PredictionInput[] | null> {
  if (!page.modelId) return null;
  const model = await deps.db.models.findForOrg(page.modelId, page.orgId);
  if (!model?.servingVersionId) return null;
  const extractor = await extractorFor(deps, model.servingVersionId);
  if (!extractor) return null;
  const tokens = pageTokens(result);
  // Categories are only appended or renamed in place, so the version's i-th output is the model's i-th category now.
  const nameOf = (category: string) => model.labels[extractor.model.categories.indexOf(category)] ?? category;
  return extractor.predict(tokens, result.width, result.height).map((f) => ({
    label: nameOf(f.category),
    type: 'field',
    ...f.box,
    score: Math.round(f.score * 1000) / 1000,
    ocrText: f.text,
    labelId: String(extractor.model.categories.indexOf(f.category)),
  }));
}
