import type { Request, Response } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { listReviewModels } from '../../services/moderation.service.ts';

/** `GET /v1/review/models`: the organization's models (the queue's model filter). */
export function modelsListHandler(deps: ApiDeps) {
  return async (_req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    res.json(await listReviewModels(deps, orgId));
  };
}
