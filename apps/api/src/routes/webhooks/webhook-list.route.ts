import type { Request, Response } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { listEndpoints } from '../../services/webhooks.service.ts';

/** `GET /v1/webhooks`: the organization's endpoints, newest first, without secrets. */
export function webhookListHandler(deps: ApiDeps) {
  return async (_req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    res.json(await listEndpoints(deps, orgId));
  };
}
