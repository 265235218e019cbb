import type { Request, Response } from 'express';
import { nanonetsModelParamsSchema, nanonetsUploadResponse, nanonetsUploadUrlsBodySchema, parseNanonetsTrainingData } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { requireModel } from '../../services/models.service.ts';
import { uploadTrainingUrls } from '../../services/training.service.ts';
import { parseWith } from './nanonets.params.ts';

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
    // An unknown model is a 404 before the body is judged.
    await requireModel(deps, model_id, orgId);
    const body = parseWith(nanonetsUploadUrlsBodySchema, req.body ?? {});
    const data = body.data === undefined ? { ok: true as const, annotations: [] } : parseNanonetsTrainingData(body.data);
    if (!data.ok) throw errors.badRequest(data.message, 'invalid_annotations');
    const rows = await uploadTrainingUrls(deps, { orgId, modelId: model_id }, body.urls, data.annotations);
    res.json(nanonetsUploadResponse(model_id, rows, data.annotations));
  };
}
