import type { Request, Response } from 'express';
import { reviewImageQuerySchema, reviewPageParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { reviewPageImage } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/** `GET /v1/review/pages/{page_id}/image[?overlay=1]`: the page PNG, with its boxes drawn in on request. */
export function pageImageHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { page_id } = parseWith(reviewPageParamsSchema, req.params, 'path');
    const { overlay } = parseWith(reviewImageQuerySchema, req.query, 'query');
    const png = await reviewPageImage(deps, orgId, page_id, overlay);
    // Boxes change with every edit; the plain image never does.
    res.setHeader('Cache-Control', overlay ? 'no-store' : 'private, max-age=300');
    res.type('image/png').send(png);
  };
}
