import type { Request, Response } from 'express';
import { webhookParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { deleteEndpoint } from '../../services/webhooks.service.ts';
import { parseOr400 } from './webhooks.params.ts';

/** `DELETE /v1/webhooks/{webhook_id}`: no more deliveries to it; 404 for unknown or another tenant's. */
export function webhookDeleteHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { webhook_id } = parseOr400(webhookParamsSchema, req.params, 'path');
    res.json(await deleteEndpoint(deps, webhook_id, orgId));
  };
}
