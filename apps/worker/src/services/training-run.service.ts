import { failureMessage, type Failure } from '@folio/contracts';
import { createHash } from 'node:crypto';
import { decodeImage } from '@folio/documents';
import type { OcrPage } from '@folio/ocr';
import { storageKeys } from '@folio/storage';
import { alignAnnotations } from '../extraction/extraction.align.ts';
import { annotationsOf } from '../extraction/extraction.annotations.ts';
import type { LabelledPage } from '../extraction/extraction.model.ts';
import { pageTokens } from '../extraction/extraction.tokens.ts';
import { trainExtractor } from '../extraction/extraction.trainer.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** Training images read per run at most (memory: a page's tokens and features, ~1 MB each). */
export const MAX_TRAINING_IMAGES = 2000;

/** Where the OCR of a training image is cached: by content digest, so retraining never OCRs again. */
export function trainingOcrKey(orgId: string, modelId: string, sha256: string): string {
  return `${storageKeys.modelPrefix(orgId, modelId)}ocr-cache/${sha256}.json`;
}

/** Where a run's fitted extractor is stored (one object per run: a retried run overwrites it). */
export function modelVersionKey(orgId: string, modelId: string, runId: string): string {
  return `${storageKeys.modelPrefix(orgId, modelId)}versions/${runId}.json`;
}

/** A run that cannot succeed with this data; its failure is stored on the run. */
export class TrainingInputError extends Error {
  constructor(readonly failure: Failure) {
    super(failureMessage(failure));
  }
}

/** The OCR of a training image, from the cache when its digest was read before. */
async function ocrOf(deps: WorkerDeps, orgId: string, modelId: string, image: { id: string; storageKey: string }): Promise<{ page: OcrPage; cached: boolean }> {
  const bytes = await deps.storage.getBuffer(image.storageKey);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await deps.db.training.setImageDigest(image.id, sha256);
  const key = trainingOcrKey(orgId, modelId, sha256);
  if (await deps.storage.head(key)) return { page: JSON.parse((await deps.storage.getBuffer(key)).toString('utf8')) as OcrPage, cached: true };
  const raster = await decodeImage(bytes);
  const page = await (await deps.engine()).recognize(raster, { dpi: raster.dpi });
  await deps.storage.putBuffer(key, Buffer.from(JSON.stringify(page)), 'application/json');
  return { page, cached: false };
}

/**
 * Runs one training run to its end: OCR of the model's images (cached by digest), alignment of
 * their annotations, the approved pages the model predicted, fit, validation on held-back
 * documents, the version stored in S3 and switched in with the run's success in one transaction.
 * A retry of the same run redoes the fit (the OCR is cached) and overwrites the same object.
 * @returns null when the run is finished or gone.
 */
export async function runTraining(deps: WorkerDeps, runId: string): Promise<{ version: number; seconds: number } | null> {
  const run = await deps.db.training.findRun(runId);
  if (!run || !(await deps.db.training.startRun(runId))) return null;
  const started = Date.now();
  const model = await deps.db.models.findForOrg(run.modelId, run.orgId);
  if (!model) return null;
  const categories = model.labels;
  if (categories.length === 0) throw new TrainingInputError({ code: 'no_categories' });

  const pages: LabelledPage[] = [];
  const images: Array<{ filename: string; words: number; fields: number; unmatched: string[] }> = [];
  let ocrCached = 0;
  const rows = await deps.db.training.listImages(model.id, run.orgId, { limit: MAX_TRAINING_IMAGES });
  for (const image of rows) {
    const annotations = annotationsOf(image.annotations);
    if (annotations.length === 0) continue;
    const { page, cached } = await ocrOf(deps, run.orgId, model.id, image);
    if (cached) ocrCached++;
    const tokens = pageTokens(page);
    const aligned = alignAnnotations(tokens, annotations, categories);
    const fields = aligned.labels.filter((l) => l > 0).length;
    images.push({ filename: image.filename, words: tokens.length, fields, unmatched: aligned.unmatched.map((a) => `${a.name}: ${a.ocrText}`.slice(0, 120)) });
    // An image whose annotations match no word would teach "none of this is a field": reported, not used.
    if (fields > 0) pages.push({ tokens, width: page.width, height: page.height, labels: aligned.labels, values: aligned.values });
  }
  let moderated = 0;
  for (const p of await deps.db.training.moderatedPages(model.id, run.orgId)) {
    const result = p.result as OcrPage | null;
    if (!result?.blocks) continue;
    const tokens = pageTokens(result);
    const boxes = p.boxes.filter((b) => categories.includes(b.label)).map((b) => ({ name: b.label, ocrText: b.ocrText, box: b }));
    const aligned = alignAnnotations(tokens, boxes, categories);
    if (aligned.labels.some((l) => l > 0)) {
      pages.push({ tokens, width: result.width, height: result.height, labels: aligned.labels, values: aligned.values });
      moderated++;
    }
  }
  if (pages.length === 0) {
    throw new TrainingInputError({ code: 'no_usable_annotations', images: images.length });
  }
  const trained = await trainExtractor(pages, categories);
  const key = modelVersionKey(run.orgId, model.id, run.id);
  await deps.storage.putBuffer(key, Buffer.from(JSON.stringify(trained.model)), 'application/json');
  const seconds = (Date.now() - started) / 1000;
  const data = { images: images.length, moderated_pages: moderated, documents: pages.length, train_documents: trained.trainDocs, held_back_documents: trained.heldBackDocs, ocr_cached: ocrCached, seconds, unmatched: images.filter((i) => i.fields === 0 || i.unmatched.length > 0) };
  const version = await deps.db.training.succeedRun(
    { id: run.id, modelId: model.id },
    { storageKey: key, categories, metrics: trained.metrics as never },
    { data: data as never, message: `Trained on ${pages.length} documents (${trained.heldBackDocs} held back for validation) in ${seconds.toFixed(1)} s.` },
  );
  return { version: version.number, seconds };
}
