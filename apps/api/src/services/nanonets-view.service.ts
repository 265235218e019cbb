import type { FileRow, PageWithPredictions } from '@folio/db';
import { fileFailureText, NANONETS_BASE_PATH, pageFailureText, type NanonetsFileSummary, type NanonetsFileView, type NanonetsPageItem, type NanonetsPageView } from '@folio/contracts';
import type { ApiDeps } from '../api.deps.ts';

/** Signed URLs handed out in results live this long. */
const SIGNED_URL_SECONDS = 3_600;

async function signed(deps: ApiDeps, key: string | null, filename?: string): Promise<string | null> {
  return key ? deps.storage.presignGet(key, { expiresInSeconds: SIGNED_URL_SECONDS, ...(filename ? { filename } : {}) }) : null;
}

export async function fileSummary(deps: ApiDeps, file: FileRow): Promise<NanonetsFileSummary> {
  return { ...file, errorMessage: fileFailureText(file), originalUrl: await signed(deps, file.storageKey, file.filename) };
}

/**
 * The page-image route of a page (Basic auth, as every Nanonets call), absolute when PUBLIC_URL is
 * set. It renders the page on first request and keeps the image.
 */
export function pageImageRoute(deps: ApiDeps, file: Pick<FileRow, 'id' | 'modelId'>, pageId: string): string | null {
  if (!file.modelId) return null;
  return `${deps.config.PUBLIC_URL?.replace(/\/+$/, '') ?? ''}${NANONETS_BASE_PATH}/Inferences/Model/${file.modelId}/InferenceRequest/${file.id}/page/${pageId}/image`;
}

/**
 * A page as the Nanonets builders read it. A page read from its PDF's text layer has no image
 * until someone asks for one: its `imageUrl` is then the page-image route, which renders it.
 */
export async function pageView(deps: ApiDeps, page: PageWithPredictions, file: Pick<FileRow, 'id' | 'modelId'>): Promise<NanonetsPageView> {
  const imageUrl = page.imageKey ? await signed(deps, page.imageKey) : page.textLayerKey ? pageImageRoute(deps, file, page.id) : null;
  return {
    id: page.id,
    index: page.index,
    status: page.status,
    width: page.width,
    height: page.height,
    rotation: page.rotation,
    daySinceEpoch: page.daySinceEpoch,
    moderationState: page.moderationState,
    error: pageFailureText(page),
    imageKey: page.imageKey,
    imageUrl,
    predictions: page.predictions,
  };
}

/** A file with every page and prediction, as the Nanonets builders read it. */
export async function fileView(deps: ApiDeps, file: FileRow): Promise<NanonetsFileView> {
  const pages = await deps.db.pages.listByFileWithPredictions(file.id);
  return { ...(await fileSummary(deps, file)), pages: await Promise.all(pages.map((p) => pageView(deps, p, file))) };
}

/**
 * Pages of a model (ascending day) with the file each belongs to, as the day-window answer reads
 * them. Each file is loaded once, scoped to `orgId`; pages of files gone meanwhile are skipped.
 */
export async function dayWindowItems(
  deps: ApiDeps,
  input: { modelId: string; orgId: string; fromDay: number; toDay: number; limit: number },
): Promise<{ items: NanonetsPageItem[]; truncated: boolean }> {
  const pages = await deps.db.pages.listByModelDayWindow(input.modelId, input.orgId, input.fromDay, input.toDay, { limit: input.limit + 1 });
  const truncated = pages.length > input.limit;
  const kept = pages.slice(0, input.limit);
  const files = new Map<string, NanonetsFileSummary | null>();
  for (const fileId of new Set(kept.map((p) => p.fileId))) {
    const file = await deps.db.files.findForOrg(fileId, input.orgId);
    files.set(fileId, file ? await fileSummary(deps, file) : null);
  }
  const items: NanonetsPageItem[] = [];
  for (const page of kept) {
    const file = files.get(page.fileId);
    if (file) items.push({ file, page: await pageView(deps, page, file) });
  }
  return { items, truncated };
}
