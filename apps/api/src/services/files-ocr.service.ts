import type { MistralOcrResponse, PageSpec } from '@folio/contracts';
import type { ApiDeps } from '../api.deps.ts';
import { findFile } from './mistral-files.service.ts';
import { rereadForced } from './force-ocr.service.ts';
import { checkSelection, ocrFinishedFile, waitForFile, type OcrResponseOptions } from './mistral-ocr.service.ts';

/**
 * `POST /v1/files/{id}/ocr`: the uploaded file's OCR started at upload; this checks the page
 * selection against it, waits for it (SYNC_TIMEOUT_MS, then 503 with the id to retry with) and
 * answers the selected pages.
 */
export async function ocrUploadedFile(
  deps: ApiDeps,
  input: { orgId: string; fileId: string; spec: PageSpec; options: Omit<OcrResponseOptions, 'pages'>; signal?: AbortSignal; forceOcr?: boolean; requestId: string },
): Promise<MistralOcrResponse> {
  const file = await findFile(deps, input.orgId, input.fileId);
  checkSelection(input.spec, file);
  let finished = await waitForFile(deps, file, input.signal);
  // A file read from its text layer is read again, OCR forced, when the client asks for it.
  if (input.forceOcr && !finished.forceOcr) finished = await waitForFile(deps, await rereadForced(deps, finished, input.requestId), input.signal);
  return ocrFinishedFile(deps, finished, input.spec, input.options);
}
