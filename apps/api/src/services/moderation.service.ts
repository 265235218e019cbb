import {
  decodeReviewCursor,
  encodeReviewCursor,
  modelState,
  reviewPageDetail,
  reviewPageSummary,
  reviewPrediction,
  reviewWords,
  type ReviewListQuery,
  type ReviewPageDetail,
  type ReviewPageList,
  type ReviewPrediction,
  type ReviewPredictionCreate,
  type ReviewPredictionPatch,
  type ReviewState,
} from '@folio/contracts';
import type { ModerationOutcome, PageRow, PredictionPatch, PredictionRef } from '@folio/db';
import { drawBoxes } from '@folio/documents';
import { isStorageError } from '@folio/storage';
import type { ApiDeps } from '../api.deps.ts';
import type { Principal } from '../auth/auth.middleware.ts';
import { AppError, errors } from '../errors/app-error.ts';
import { fromLibraryError } from '../errors/domain-errors.ts';
import { ensurePageImage } from './page-image.service.ts';

/** Presigned page image URLs in review answers live this long. */
const IMAGE_URL_SECONDS = 3_600;

/** The API path of a page's image under the review API. */
export const reviewImagePath = (pageId: string) => `/v1/review/pages/${pageId}/image`;

/** A failed moderation outcome as the client's error: nothing was written. */
function outcomeError(o: Extract<ModerationOutcome<unknown>, { ok: false }>): AppError {
  switch (o.reason) {
    case 'not_found':
      return new AppError('not_found', o.message, { reason: 'not_found' });
    case 'not_done':
      return new AppError('conflict', o.message, { reason: 'page_not_done' });
    case 'inactive':
      return new AppError('conflict', o.message, { reason: 'prediction_inactive' });
    case 'invalid_box':
      return new AppError('unprocessable', `Invalid box: ${o.message}`, { reason: 'invalid_box' });
  }
}

function valueOf<T>(o: ModerationOutcome<T>): T {
  if (!o.ok) throw outcomeError(o);
  return o.value;
}

/** The caller's page (file not deleted), or 404. */
async function requirePage(deps: ApiDeps, orgId: string, pageId: string): Promise<PageRow> {
  const page = await deps.db.pages.findForOrg(pageId, orgId);
  if (!page) throw new AppError('not_found', `Page ${pageId} not found.`, { reason: 'not_found' });
  return page;
}

/**
 * `GET /v1/review/pages`: the queue (every recognized page of the organization, any dialect),
 * grouped by document, lowest field score then lowest word score first, with an opaque cursor.
 */
export async function listReviewQueue(deps: ApiDeps, orgId: string, q: ReviewListQuery): Promise<ReviewPageList> {
  if (q.from_day !== undefined && q.to_day !== undefined && q.from_day > q.to_day) {
    throw errors.badRequest(`from_day (${q.from_day}) is after to_day (${q.to_day}).`, 'invalid_day_window');
  }
  const after = q.cursor === undefined ? undefined : decodeReviewCursor(q.cursor);
  if (after === null) throw errors.badRequest('cursor is not one this API handed out; start again without it.', 'invalid_cursor');
  if (q.model_id !== undefined && !(await deps.db.models.findForOrg(q.model_id, orgId))) throw errors.notFound('Model', q.model_id);
  const { items, next, total } = await deps.db.moderation.listPages({
    orgId,
    limit: q.limit,
    ...(q.model_id !== undefined ? { modelId: q.model_id } : {}),
    ...(q.state !== 'all' ? { state: modelState(q.state) } : {}),
    ...(q.from_day !== undefined ? { fromDay: q.from_day } : {}),
    ...(q.to_day !== undefined ? { toDay: q.to_day } : {}),
    ...(q.max_confidence !== undefined ? { maxConfidence: q.max_confidence } : {}),
    ...(after ? { after } : {}),
  });
  return {
    object: 'list',
    data: items.map((p) => reviewPageSummary(p, p.file.filename, p.fieldScore)),
    next_cursor: next ? encodeReviewCursor(next) : null,
    total,
  };
}

/** The categories of a page's model: what its `field` boxes may be labelled (none for full-text models). */
async function pageCategories(deps: ApiDeps, page: { modelId: string | null; orgId: string }): Promise<string[]> {
  if (!page.modelId) return [];
  return (await deps.db.models.findForOrg(page.modelId, page.orgId))?.labels ?? [];
}

/**
 * A field box must name a category of the page's model: an unknown one is a 422 naming it and
 * the categories there are, before anything is written. Pages of full-text models take any label.
 */
async function checkCategory(deps: ApiDeps, orgId: string, pageId: string, box: { label?: string | undefined; type?: string | undefined }): Promise<void> {
  if (box.label === undefined) return;
  const page = await requirePage(deps, orgId, pageId);
  const categories = await pageCategories(deps, page);
  if (categories.length === 0 || (box.type !== undefined && box.type !== 'field')) return;
  if (!categories.includes(box.label)) {
    throw new AppError('unprocessable', `Unknown category "${box.label}": the page's model has ${categories.map((c) => `"${c}"`).join(', ')}.`, {
      reason: 'unknown_category',
    });
  }
}

/** `GET /v1/review/pages/{page_id}`: the page, its standing boxes, OCR words, model categories, image URL and audit trail. */
export async function reviewPageView(deps: ApiDeps, orgId: string, pageId: string): Promise<ReviewPageDetail> {
  const page = await requirePage(deps, orgId, pageId);
  const [file, predictions, events, categories] = await Promise.all([
    deps.db.files.findForOrg(page.fileId, orgId),
    deps.db.predictions.listByPage(page.id, { activeOnly: true }),
    deps.db.moderation.listEvents(page.id, orgId),
    pageCategories(deps, page),
  ]);
  if (!file) throw new AppError('not_found', `Page ${pageId} not found.`, { reason: 'not_found' });
  const imageKey = await ensurePageImage(deps, page);
  const imageUrl = imageKey ? await deps.storage.presignGet(imageKey, { expiresInSeconds: IMAGE_URL_SECONDS }) : null;
  const fieldScores = predictions.filter((p) => categories.includes(p.label)).map((p) => p.score);
  return reviewPageDetail({
    page,
    filename: file.filename,
    categories,
    fieldScore: fieldScores.length ? Math.min(...fieldScores) : null,
    words: reviewWords(page.result),
    imageUrl,
    imagePath: reviewImagePath(page.id),
    predictions,
    events,
  });
}

/**
 * The page image as PNG; with `overlay`, the standing boxes drawn over it in their confidence
 * colours with their text. Boxes are in the pixels of the stored image, so nothing is rescaled.
 */
export async function pageImagePng(deps: ApiDeps, page: PageRow, overlay: boolean): Promise<Buffer> {
  const imageKey = await ensurePageImage(deps, page);
  if (!imageKey) {
    throw new AppError('not_found', `Page ${page.id} has no image yet (it is ${page.status.toLowerCase()}).`, { reason: 'image_not_ready' });
  }
  let image: Buffer;
  try {
    image = await deps.storage.getBuffer(imageKey);
  } catch (err) {
    if (isStorageError(err, 'not_found')) throw new AppError('not_found', `Page ${page.id} has no stored image.`, { reason: 'image_not_ready' });
    throw fromLibraryError(err);
  }
  if (!overlay) return image;
  const boxes = await deps.db.predictions.listByPage(page.id, { activeOnly: true });
  return drawBoxes(
    image,
    boxes.map((b) => ({ xmin: b.xmin, ymin: b.ymin, xmax: b.xmax, ymax: b.ymax, score: b.score, label: b.ocrText || b.label })),
  );
}

/** `GET /v1/review/pages/{page_id}/image`. */
export async function reviewPageImage(deps: ApiDeps, orgId: string, pageId: string, overlay: boolean): Promise<Buffer> {
  return pageImagePng(deps, await requirePage(deps, orgId, pageId), overlay);
}

/** Approve, reject or reset (back to unmoderated); answers the page as `reviewPageView` does. */
export async function setReviewState(deps: ApiDeps, who: Principal, pageId: string, state: ReviewState): Promise<ReviewPageDetail> {
  valueOf(await deps.db.moderation.setPageState(pageId, who.orgId, modelState(state), who.keyId));
  return reviewPageView(deps, who.orgId, pageId);
}

/** Undoes a page's box edits (the model's boxes stand again); answers the page as `reviewPageView` does. */
export async function revertReviewEdits(deps: ApiDeps, who: Principal, pageId: string): Promise<ReviewPageDetail> {
  valueOf(await deps.db.moderation.revertEdits(pageId, who.orgId, who.keyId));
  return reviewPageView(deps, who.orgId, pageId);
}

/** Adds a moderator box to a page. */
export async function addReviewPrediction(deps: ApiDeps, who: Principal, pageId: string, body: ReviewPredictionCreate): Promise<ReviewPrediction> {
  await checkCategory(deps, who.orgId, pageId, body);
  const created = valueOf(
    await deps.db.moderation.addPrediction(
      pageId,
      who.orgId,
      { label: body.label, type: body.type, xmin: body.xmin, ymin: body.ymin, xmax: body.xmax, ymax: body.ymax, score: body.score, ocrText: body.ocr_text },
      who.keyId,
    ),
  );
  return reviewPrediction(created);
}

/**
 * Edits a box's text, label or edges. A model box is replaced by a moderator box with a new id
 * (the answer's `id`); its score becomes 1 unless the patch says otherwise.
 */
export async function updateReviewPrediction(deps: ApiDeps, who: Principal, ref: Omit<PredictionRef, 'orgId'>, body: ReviewPredictionPatch): Promise<ReviewPrediction> {
  if (body.label !== undefined) await checkCategory(deps, who.orgId, ref.pageId, { label: body.label, type: await predictionType(deps, ref.pageId, ref.predictionId) });
  const patch: PredictionPatch = {
    score: body.score ?? 1,
    ...(body.label !== undefined ? { label: body.label } : {}),
    ...(body.ocr_text !== undefined ? { ocrText: body.ocr_text } : {}),
    ...(body.xmin !== undefined ? { xmin: body.xmin } : {}),
    ...(body.ymin !== undefined ? { ymin: body.ymin } : {}),
    ...(body.xmax !== undefined ? { xmax: body.xmax } : {}),
    ...(body.ymax !== undefined ? { ymax: body.ymax } : {}),
  };
  return reviewPrediction(valueOf(await deps.db.moderation.updatePrediction({ ...ref, orgId: who.orgId }, patch, who.keyId)));
}

/** The type of a box of the page (`field` when unknown: the repository answers the 404 itself). */
async function predictionType(deps: ApiDeps, pageId: string, predictionId: string): Promise<string> {
  const boxes = await deps.db.predictions.listByPage(pageId, { activeOnly: true });
  return boxes.find((b) => b.id === predictionId)?.type ?? 'field';
}

/** Removes a box from the page's moderated set (the model's box stays in `predicted_boxes`). */
export async function deleteReviewPrediction(deps: ApiDeps, who: Principal, ref: Omit<PredictionRef, 'orgId'>): Promise<ReviewPrediction> {
  return reviewPrediction(valueOf(await deps.db.moderation.removePrediction({ ...ref, orgId: who.orgId }, who.keyId)));
}

/** `GET /v1/review/models`: the organization's models, for the queue's filter. */
export async function listReviewModels(deps: ApiDeps, orgId: string) {
  const models = await deps.db.models.listForOrg(orgId);
  return { object: 'list' as const, data: models.map((m) => ({ id: m.id, name: m.name, kind: m.kind.toLowerCase() })) };
}
