import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { mistralFileOcrRequestSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { ocrUploadedFile } from '../../services/files-ocr.service.ts';
import { abortOnClose, ocrOptions, parsePages } from './mistral.ocr-options.ts';
import { fileIdOf, parseWith } from './mistral.params.ts';

/**
 * `POST /v1/files/{file_id}/ocr`: the uploaded file's selected pages. Its OCR started at upload;
 * this waits for it (SYNC_TIMEOUT_MS, then 503 with the id to retry with).
 */
export function filesOcrHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const body = parseWith(mistralFileOcrRequestSchema, req.body ?? {}, 'body');
    const spec = parsePages(body.pages);
    const fileId = fileIdOf(req.params);
    const requestId = String(res.locals.requestId ?? randomUUID());
    res.json(
      await ocrUploadedFile(deps, { orgId, fileId, spec, options: ocrOptions(body), signal: abortOnClose(res), forceOcr: body.force_ocr === true, requestId }),
    );
  };
}
