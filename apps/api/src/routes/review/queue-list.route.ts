import type { Request, Response } from 'express';
import { reviewListQuerySchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { listReviewQueue } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/**
 * `GET /v1/review/pages?model_id=&state=&from_day=&to_day=&max_confidence=&limit=&cursor=`: the
 * review queue, recognized pages lowest `min_confidence` first; `state` defaults to unmoderated.
 */
export function queueListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    res.json(await listReviewQueue(deps, orgId, parseWith(reviewListQuerySchema, req.query, 'query')));
  };
}
