import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { nanonetsAsyncQuerySchema, nanonetsLabelUrlsBodySchema, nanonetsModelParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { abortOnClose } from '../../http/abort-on-close.ts';
import { labelUrls } from '../../services/label.service.ts';
import { sendLabelOutcome } from './label.responder.ts';
import { parseWith, routeAsync } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/LabelUrls/` (sync) and `.../LabelUrls/Async/` or `?async=true`:
 * `urls` form-urlencoded (repeated key) or JSON. Every URL is checked (scheme, credentials,
 * literal private addresses) before any is recorded; the worker fetches them SSRF-safe, and a
 * sync request whose URL cannot be fetched fails whole with nothing left behind.
 */
export function labelUrlsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const query = parseWith(nanonetsAsyncQuerySchema, req.query);
    const body = parseWith(nanonetsLabelUrlsBodySchema, req.body ?? {});
    const outcome = await labelUrls(deps, {
      orgId,
      modelId: model_id,
      sync: !routeAsync(req) && !query.async && body.async !== true,
      requestId: String(res.locals.requestId ?? randomUUID()),
      signal: abortOnClose(res),
      urls: body.urls,
      requestMetadata: body.request_metadata ?? null,
      forceOcr: query.force_ocr,
    });
    sendLabelOutcome(res, outcome, model_id);
  };
}
