import type { Request, Response } from 'express';
import { mistralFileOcrRequestSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { checkSelection, ocrFinishedFile, waitForFile } from '../../services/mistral-ocr.service.ts';
import { abortOnClose, ocrOptions, parsePages } from './mistral.ocr-options.ts';
import { parseWith, requireFile } from './mistral.params.ts';

/**
 * `POST /v1/files/{file_id}/ocr`: the uploaded file's selected pages. Its OCR started at upload;
 * this waits for it (SYNC_TIMEOUT_MS, then 503 with the id to retry with).
 */
export function filesOcrHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const body = parseWith(mistralFileOcrRequestSchema, req.body ?? {}, 'body');
    const spec = parsePages(body.pages);
    const file = await requireFile(deps, req.params, orgId);
    checkSelection(spec, file);
    const finished = await waitForFile(deps, file, abortOnClose(res));
    res.json(await ocrFinishedFile(deps, finished, spec, ocrOptions(body)));
  };
}
