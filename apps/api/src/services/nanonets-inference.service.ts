import { nanonetsDayWindow, type FileProgressView, type NanonetsFileSummary, type NanonetsFileView, type NanonetsPageItem, type NanonetsPageView } from '@folio/contracts';
import type { FileRow, PageStatus } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { fileProgressOf } from './file-progress.service.ts';
import { pageImagePng } from './moderation.service.ts';
import { requireModel } from './models.service.ts';
import { dayWindowItems, fileSummary, fileView, pageView } from './nanonets-view.service.ts';

/** A request file of a model, as the Nanonets retrieval routes name it. */
export interface InferenceFileRef {
  orgId: string;
  modelId: string;
  fileId: string;
}

/** One page of such a file. */
export interface InferencePageRef extends InferenceFileRef {
  pageId: string;
}

/** The caller's model, then its file, or 404 naming what is unknown. */
async function requireModelFile(deps: ApiDeps, ref: InferenceFileRef): Promise<FileRow> {
  await requireModel(deps, ref.modelId, ref.orgId);
  const file = await deps.db.files.findForOrg(ref.fileId, ref.orgId);
  if (!file || file.modelId !== ref.modelId) throw errors.notFound('Request file', ref.fileId);
  return file;
}

/** Every page of a request file with its boxes, and the file's progress. */
export async function inferenceFile(deps: ApiDeps, ref: InferenceFileRef): Promise<{ view: NanonetsFileView; progress: FileProgressView }> {
  const file = await requireModelFile(deps, ref);
  return { view: await fileView(deps, file), progress: await fileProgressOf(deps, file) };
}

/** One page of a request file with its boxes, and that page's status. */
export async function inferencePage(
  deps: ApiDeps,
  ref: InferencePageRef,
): Promise<{ file: NanonetsFileSummary; page: NanonetsPageView; status: PageStatus }> {
  const file = await requireModelFile(deps, ref);
  const pages = await deps.db.pages.listByFileWithPredictions(file.id);
  const page = pages.find((p) => p.id === ref.pageId);
  if (!page) throw errors.notFound('Page', ref.pageId);
  return { file: await fileSummary(deps, file), page: await pageView(deps, page, file), status: page.status };
}

/** The page PNG of a request file; with `overlay`, its final (moderated) boxes drawn in. */
export async function inferencePageImage(deps: ApiDeps, ref: InferencePageRef, overlay: boolean): Promise<Buffer> {
  const file = await requireModelFile(deps, ref);
  const page = await deps.db.pages.findForOrg(ref.pageId, ref.orgId);
  if (!page || page.fileId !== file.id) throw errors.notFound('Page', ref.pageId);
  return pageImagePng(deps, page, overlay);
}

/**
 * A model's pages of the inclusive day window (`nanonetsDayWindow` reads the two query values),
 * oldest first, at most `limit` (then `truncated`); 404 for another tenant's model, 400 for a window
 * that is no window.
 */
export async function inferenceDayWindow(
  deps: ApiDeps,
  input: { orgId: string; modelId: string; startDayInterval: number; currentBatchDay: number; limit: number },
): Promise<{ items: NanonetsPageItem[]; truncated: boolean; fromDay: number; toDay: number }> {
  await requireModel(deps, input.modelId, input.orgId);
  const window = nanonetsDayWindow(input.startDayInterval, input.currentBatchDay);
  if (!window.ok) throw errors.badRequest(window.message, 'invalid_day_window');
  const { items, truncated } = await dayWindowItems(deps, { modelId: input.modelId, orgId: input.orgId, fromDay: window.fromDay, toDay: window.toDay, limit: input.limit });
  return { items, truncated, fromDay: window.fromDay, toDay: window.toDay };
}
