import type { Request, Response } from 'express';
import { reviewPageParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { revertReviewEdits } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/**
 * `POST /v1/review/pages/{page_id}/revert`: undoes every box edit of the page (moderator boxes
 * out, the model's boxes back), audited; answers the page as `GET` does. Only recognized pages
 * (409 otherwise).
 */
export function pageRevertHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const who = principalOf(res.locals);
    const { page_id } = parseWith(reviewPageParamsSchema, req.params, 'path');
    res.json(await revertReviewEdits(deps, who, page_id));
  };
}
