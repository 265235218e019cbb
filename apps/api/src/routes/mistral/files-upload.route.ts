import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { mistralFileObject, mistralUploadFieldsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { multipartSource } from '../../http/multipart.ts';
import { uploadOcrFile } from '../../services/mistral-upload.service.ts';
import { parseWith } from './mistral.params.ts';

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
    const view = await uploadOcrFile(deps, {
      orgId,
      parts: multipartSource(req, { maxFileBytes: deps.config.MAX_UPLOAD_BYTES, maxFiles: 1 }),
      parseFields: (fields) => parseWith(mistralUploadFieldsSchema, singleFields(fields), 'body'),
      requestId: String(res.locals.requestId ?? randomUUID()),
    });
    res.json(mistralFileObject(view));
  };
}
