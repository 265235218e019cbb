import { MISTRAL_FILE_FIELD, type MistralFileView, type MistralUploadFields } from '@folio/contracts';
import type { ApiDeps } from '../api.deps.ts';
import { assertCapacity } from './admission.service.ts';
import { submitFiles } from './file-wait.service.ts';
import { expiryFromHours, FILES_API_PURPOSE, mistralFileView } from './mistral-files.service.ts';
import { OcrInputError } from './mistral-ocr.service.ts';
import { sooner } from './retention.service.ts';
import { orDiscard, storeParts, type MultipartSource } from './upload.service.ts';

export interface MistralUploadRequest {
  orgId: string;
  /** The multipart body: one `file` part and `purpose`, `expiry`. */
  parts: MultipartSource;
  /** Validates the text fields, known once the body has been read. */
  parseFields: (fields: Record<string, string[]>) => MistralUploadFields;
  requestId: string;
}

/**
 * `POST /v1/files`: the original is streamed to storage, its real type checked, and ingest starts
 * at once: an unreadable document is refused here with nothing left behind, and its pages are
 * OCR'd in the background for `/v1/files/{id}/ocr`.
 */
export async function uploadOcrFile(deps: ApiDeps, request: MistralUploadRequest): Promise<MistralFileView> {
  await assertCapacity(deps);
  const { fields, files } = await storeParts(deps, request.parts, MISTRAL_FILE_FIELD, {
    orgId: request.orgId,
    modelId: null,
    sync: false,
    purpose: FILES_API_PURPOSE,
  });
  const file = await orDiscard(deps, files, async () => {
    const form = request.parseFields(fields);
    const [stored] = files;
    if (!stored) {
      const message = `Field required: send the document in the multipart field "${MISTRAL_FILE_FIELD}".`;
      throw new OcrInputError('unprocessable', message, { loc: ['body', MISTRAL_FILE_FIELD], msg: message, type: 'missing' });
    }
    // `expiry` may shorten the organization's retention, never extend it.
    if (!form.expiry) return stored;
    return (await deps.db.files.update(stored.id, { expiresAt: sooner(stored.expiresAt, expiryFromHours(form.expiry)) })) ?? stored;
  });
  const [ingested = file] = await submitFiles(deps, [file], request.requestId);
  return mistralFileView(ingested);
}
