import type { Request, Response } from 'express';
import { nanonetsPageParamsSchema, reviewImageQuerySchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { inferencePageImage } from '../../services/nanonets-inference.service.ts';
import { parseWith } from './nanonets.params.ts';

/**
 * `GET .../InferenceRequest/{request_file_id}/page/{page_id}/image[?overlay=1]`: the page PNG;
 * with `overlay=1` the page's final boxes (as moderated) drawn over it, coloured by confidence.
 */
export function inferencePageImageHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsPageParamsSchema, req.params);
    const { overlay } = parseWith(reviewImageQuerySchema, req.query);
    const png = await inferencePageImage(deps, { orgId, modelId: params.model_id, fileId: params.request_file_id, pageId: params.page_id }, overlay);
    res.setHeader('Cache-Control', overlay ? 'no-store' : 'private, max-age=300');
    res.type('image/png').send(png);
  };
}
