import type { Request, Response } from 'express';
import { nanonetsAsyncQuerySchema, nanonetsLabelUrlsBodySchema, nanonetsModelParamsSchema } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { assertCapacity, discardFiles, recordUrl } from '../../services/intake.service.ts';
import { answerLabelRequest } from './label.responder.ts';
import { parseWith, requireModel, routeAsync } from './nanonets.params.ts';

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
    await requireModel(deps, model_id, orgId);
    const body = parseWith(nanonetsLabelUrlsBodySchema, req.body ?? {});
    await assertCapacity(deps);
    const sync = !routeAsync(req) && !query.async && body.async !== true;

    const recorded: FileRow[] = [];
    try {
      for (const url of body.urls) {
        recorded.push(await recordUrl(deps, url, { orgId, modelId: model_id, sync, requestMetadata: body.request_metadata ?? null }));
      }
    } catch (err) {
      await discardFiles(deps, recorded);
      throw err;
    }
    await answerLabelRequest(deps, res, { files: recorded, sync, modelId: model_id, route: 'LabelUrls' });
  };
}
