import type { Request, Response } from 'express';
import { reviewPageParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { reviewPageView } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/** `GET /v1/review/pages/{page_id}`: the page with its standing boxes, image URL and audit trail. */
export function pageGetHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { page_id } = parseWith(reviewPageParamsSchema, req.params, 'path');
    res.json(await reviewPageView(deps, orgId, page_id));
  };
}
