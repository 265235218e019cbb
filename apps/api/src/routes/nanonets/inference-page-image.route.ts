import type { Request, Response } from 'express';
import { nanonetsPageParamsSchema, reviewImageQuerySchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { pageImagePng } from '../../services/moderation.service.ts';
import { parseWith, requireFile, requireModel } from './nanonets.params.ts';

/**
 * `GET .../InferenceRequest/{request_file_id}/page/{page_id}/image[?overlay=1]`: the page PNG;
 * with `overlay=1` the page's final boxes (as moderated) drawn over it, coloured by confidence.
 */
export function inferencePageImageHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsPageParamsSchema, req.params);
    const { overlay } = parseWith(reviewImageQuerySchema, req.query);
    await requireModel(deps, params.model_id, orgId);
    const file = await requireFile(deps, params.request_file_id, orgId, params.model_id);
    const page = await deps.db.pages.findForOrg(params.page_id, orgId);
    if (!page || page.fileId !== file.id) throw errors.notFound('Page', params.page_id);
    const png = await pageImagePng(deps, page, overlay);
    res.setHeader('Cache-Control', overlay ? 'no-store' : 'private, max-age=300');
    res.type('image/png').send(png);
  };
}
