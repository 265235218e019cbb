import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { MISTRAL_FILE_FIELD, mistralFileObject, mistralUploadFieldsSchema } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { parseMultipart } from '../../http/multipart.ts';
import { assertCapacity, discardFiles, storeUpload, submitFiles } from '../../services/intake.service.ts';
import { expiryFromHours, FILES_API_PURPOSE, mistralFileView } from '../../services/mistral-files.service.ts';
import { sooner } from '../../services/retention.service.ts';
import { invalid, parseWith } from './mistral.params.ts';

/** Multipart text fields as single values (the last one wins, as in most form parsers). */
const singleFields = (fields: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[v.length - 1] as string]));

/**
 * `POST /v1/files`: multipart `file` (PDF, PNG or JPEG) and `purpose=ocr`. The original is streamed
 * to storage, its real type checked, and ingest starts at once: an unreadable document is refused
 * here with nothing left behind, and its pages are OCR'd in the background for `/v1/files/{id}/ocr`.
 */
export function filesUploadHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    await assertCapacity(deps);
    const { fields, files } = await parseMultipart<FileRow | null>(
      req,
      { maxFileBytes: deps.config.MAX_UPLOAD_BYTES, maxFiles: 1 },
      async (part) => {
        if (part.field !== MISTRAL_FILE_FIELD) {
          part.stream.resume();
          return null;
        }
        return storeUpload(deps, part, { orgId, modelId: null, sync: false, purpose: FILES_API_PURPOSE });
      },
      (done) => discardFiles(deps, done.filter((f): f is FileRow => f !== null)),
    );
    let [file] = files.filter((f): f is FileRow => f !== null);
    try {
      const form = parseWith(mistralUploadFieldsSchema, singleFields(fields), 'body');
      if (!file) throw invalid(['body', MISTRAL_FILE_FIELD], `Field required: send the document in the multipart field "${MISTRAL_FILE_FIELD}".`, 'missing');
      // `expiry` may shorten the organization's retention, never extend it.
      if (form.expiry) file = (await deps.db.files.update(file.id, { expiresAt: sooner(file.expiresAt, expiryFromHours(form.expiry)) })) ?? file;
    } catch (err) {
      if (file) await discardFiles(deps, [file]);
      throw err;
    }
    const [ingested = file] = await submitFiles(deps, [file], String(res.locals.requestId ?? randomUUID()));
    res.json(mistralFileObject(mistralFileView(ingested)));
  };
}
