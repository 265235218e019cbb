import { fileFailureText, fileProgressView, MAX_LISTED_FAILED_PAGES, pageFailureText, type FileProgressView } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';

/**
 * Where a file stands now (status, page counts, failed pages with reasons), read from Postgres:
 * the one progress object the Nanonets and Files routes, the SSE stream and the CLI show.
 */
export async function fileProgressOf(deps: ApiDeps, file: FileRow): Promise<FileProgressView> {
  const counts = await deps.db.files.progress(file.id);
  const failedPages = counts.failed > 0 ? await deps.db.pages.listFailed(file.id, MAX_LISTED_FAILED_PAGES) : [];
  return fileProgressView({
    id: file.id,
    status: file.status,
    pageCount: file.pageCount,
    // Sentences written from the stored reasons (rows older than them: their text).
    errorMessage: fileFailureText(file),
    counts,
    failedPages: failedPages.map((p) => ({ id: p.id, index: p.index, error: pageFailureText(p) })),
  });
}
