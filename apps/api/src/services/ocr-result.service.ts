import type { OcrPage } from '@folio/ocr';
import { parseOcrPage } from '@folio/contracts';
import type { FileRow, PageRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { awaitCompletion, isFinal, isShuttingDown, submitFiles } from './file-wait.service.ts';

export interface PageResult {
  page: PageRow;
  /** The canonical result; null when the page failed. */
  result: OcrPage | null;
}

export interface FileResult {
  file: FileRow;
  pages: PageResult[];
}

/** A finished file's pages with their canonical results, by ascending index. */
export async function loadResults(deps: ApiDeps, file: FileRow): Promise<FileResult> {
  const pages = await deps.db.pages.listByFile(file.id);
  return {
    file,
    pages: pages.map((page) => ({ page, result: page.status === 'DONE' && page.result ? parseOcrPage(page.result) : null })),
  };
}

/**
 * The sync path every dialect shares: ingest the stored files (refusing bad documents with
 * their 4xx), wait for them to finish within SYNC_TIMEOUT_MS, and return their results. When
 * the wait runs out the files keep going and this answers 503 naming them, so nothing is lost.
 */
export async function recognizeNow(deps: ApiDeps, files: FileRow[], requestId: string, signal?: AbortSignal): Promise<FileResult[]> {
  const submitted = await submitFiles(deps, files, requestId);
  const finished = await awaitCompletion(deps, submitted, deps.config.SYNC_TIMEOUT_MS, signal);
  if (!finished.every(isFinal)) {
    const why = isShuttingDown(deps) ? 'The server is restarting and the result was not ready yet' : `The result was not ready within ${Math.round(deps.config.SYNC_TIMEOUT_MS / 1000)} s`;
    const ids = finished.map((f) => f.id);
    throw errors.unavailable(
      `${why}; it is still being processed as ${ids.join(', ')}: poll GET /v1/files/{id}, or get the result with POST /v1/files/{id}/ocr.`,
      isShuttingDown(deps) ? 5 : 10,
    );
  }
  return Promise.all(finished.map((f) => loadResults(deps, f)));
}
