import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { nanonetsAsyncQuerySchema, nanonetsLabelFileFieldsSchema, nanonetsModelParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { abortOnClose } from '../../http/abort-on-close.ts';
import { multipartSource } from '../../http/multipart.ts';
import { labelFile } from '../../services/label.service.ts';
import { sendLabelOutcome } from './label.responder.ts';
import { parseWith, routeAsync, singleFields } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/LabelFile/` (sync, ≤ SYNC_MAX_PAGES pages, waits for the result)
 * and `.../LabelFile/Async/` or `?async=true` (answers with `request_file_id`s to poll).
 */
export function labelFileHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const query = parseWith(nanonetsAsyncQuerySchema, req.query);
    const outcome = await labelFile(deps, {
      orgId,
      modelId: model_id,
      sync: !routeAsync(req) && !query.async,
      forceOcr: query.force_ocr,
      requestId: String(res.locals.requestId ?? randomUUID()),
      signal: abortOnClose(res),
      parts: multipartSource(req, { maxFileBytes: deps.config.MAX_UPLOAD_BYTES }),
      parseFields: (fields) => parseWith(nanonetsLabelFileFieldsSchema, singleFields(fields)),
    });
    sendLabelOutcome(res, outcome, model_id);
  };
}
