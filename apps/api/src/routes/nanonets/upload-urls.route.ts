import type { Request, Response } from 'express';
import { nanonetsModelParamsSchema, nanonetsUploadResponse, nanonetsUploadUrlsBodySchema, parseNanonetsTrainingData } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { discardTrainingObjects, fetchTrainingUrl, recordTrainingImages, type StoredTrainingObject } from '../../services/training.service.ts';
import { parseWith, requireModel } from './nanonets.params.ts';

/** URLs fetched at once; the rest wait, so one request cannot open a hundred connections. */
const FETCH_CONCURRENCY = 4;

/**
 * `POST /OCR/Model/{model_id}/UploadUrls/`: JSON `{ urls, data? }`. Each image is downloaded now,
 * from the API, with the SSRF-safe fetcher (@folio/url-fetch, same policy as LabelUrls) and
 * stored like an UploadFile image, so training never depends on the URL staying alive. One URL
 * that cannot be fetched refuses the request and removes every image already stored.
 */
export function uploadUrlsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    await requireModel(deps, model_id, orgId);
    const body = parseWith(nanonetsUploadUrlsBodySchema, req.body ?? {});
    const data = body.data === undefined ? { ok: true as const, annotations: [] } : parseNanonetsTrainingData(body.data);
    if (!data.ok) throw errors.badRequest(data.message, 'invalid_annotations');
    const scope = { orgId, modelId: model_id };

    const stored: StoredTrainingObject[] = [];
    const queue = [...body.urls.entries()];
    const fetched: StoredTrainingObject[] = new Array(body.urls.length);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const [index, url] = next;
            try {
              const object = await fetchTrainingUrl(deps, url, scope);
              stored.push(object);
              fetched[index] = object;
            } catch (err) {
              queue.length = 0; // the request is refused: fetch no more
              throw err;
            }
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const rows = await recordTrainingImages(deps, scope, fetched, data.annotations);
      res.json(nanonetsUploadResponse(model_id, rows, data.annotations));
    } catch (err) {
      await discardTrainingObjects(deps, stored);
      throw err;
    }
  };
}
