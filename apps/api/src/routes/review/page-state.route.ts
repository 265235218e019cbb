import type { Request, Response } from 'express';
import { reviewPageParamsSchema, type ReviewState } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { setReviewState } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/**
 * `POST /v1/review/pages/{page_id}/approve` (`/reject`, `/reset`): sets the page's moderation
 * state, audited; answers the page as `GET` does. Only recognized pages (409 otherwise).
 */
export function pageStateHandler(deps: ApiDeps, state: ReviewState) {
  return async (req: Request, res: Response) => {
    const who = principalOf(res.locals);
    const { page_id } = parseWith(reviewPageParamsSchema, req.params, 'path');
    res.json(await setReviewState(deps, who, page_id, state));
  };
}
