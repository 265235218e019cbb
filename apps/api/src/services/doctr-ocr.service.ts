import { DOCTR_FILES_FIELD } from '@folio/contracts';
import type { PageRead } from '@folio/queue';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { assertCapacity } from './admission.service.ts';
import { recognizeNow, type FileResult } from './ocr-result.service.ts';
import { assertRecognizerReady } from './readiness.service.ts';
import { storeParts, type MultipartSource } from './upload.service.ts';

/** Files of the docTR dialect are kept apart from the Files API's `ocr` uploads. */
export const DOCTR_PURPOSE = 'doctr';

const NOT_READY = 'The OCR models are not loaded yet; retry shortly.';

export interface DoctrOcrRequest {
  orgId: string;
  /** The multipart body; its `files` parts are the documents. */
  parts: MultipartSource;
  requestId: string;
  /** Aborted when the client hangs up: the wait ends (the files keep going). */
  signal?: AbortSignal;
  /** `?force_ocr=true`: OCR every page even where the PDF's text layer can be trusted. */
  forceOcr?: boolean;
  /** `binary_threshold` and `box_threshold` where the request set them; absent: the engine's own. */
  detection?: PageRead['detection'];
}

/**
 * `POST /ocr`: stores every `files` part (PNG, JPEG, PDF, TIFF) and recognizes them together
 * (sync); the results keep upload order, failed pages included (with their reason).
 */
export async function recognizeDoctrUploads(deps: ApiDeps, request: DoctrOcrRequest): Promise<FileResult[]> {
  await assertRecognizerReady(deps, NOT_READY);
  await assertCapacity(deps);
  const { files } = await storeParts(deps, request.parts, DOCTR_FILES_FIELD, { orgId: request.orgId, sync: true, purpose: DOCTR_PURPOSE, forceOcr: request.forceOcr ?? false, ...(request.detection ? { detection: request.detection } : {}) });
  if (files.length === 0) {
    throw errors.validation(`Field required: send one or more documents in the multipart field "${DOCTR_FILES_FIELD}".`, [
      { loc: ['body', DOCTR_FILES_FIELD], msg: 'Field required', type: 'missing' },
    ]);
  }
  return recognizeNow(deps, files, request.requestId, request.signal);
}
