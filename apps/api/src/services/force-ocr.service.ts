import type { FileRow } from '@folio/db';
import { JOB_PRIORITY } from '@folio/queue';
import type { ApiDeps } from '../api.deps.ts';

/**
 * `force_ocr` on a file that was already read without it (`POST /v1/files/{id}/ocr`, `file_id`
 * in `POST /v1/ocr`): its pages are rendered and OCR'd again, this time ignoring the text layer,
 * and the file is finalized again. A file already forced (or one that is not finished) is
 * returned as it is. Render and finalize jobs of the first pass are retained under the same ids,
 * so they are replaced rather than swallowed.
 */
export async function rereadForced(deps: ApiDeps, file: FileRow, requestId: string): Promise<FileRow> {
  const restarted = await deps.db.files.restartWithForcedOcr(file.id);
  if (!restarted) return (await deps.db.files.findById(file.id)) ?? file;
  for (const pageId of restarted.pageIds) {
    await deps.queues.enqueue(
      'render',
      { pageId, fileId: file.id, orgId: file.orgId, requestId },
      { priority: JOB_PRIORITY.high, replaceFinished: true },
    );
  }
  return restarted.file;
}
