import type { Request, Response } from 'express';
import { webhookDeliveriesQuerySchema, webhookParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { listDeliveries } from '../../services/webhooks.service.ts';
import { parseOr400 } from './webhooks.params.ts';

/** `GET /v1/webhooks/{webhook_id}/deliveries?limit=&status=`: the delivery log, newest first. */
export function webhookDeliveriesHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { webhook_id } = parseOr400(webhookParamsSchema, req.params, 'path');
    const query = parseOr400(webhookDeliveriesQuerySchema, req.query, 'query');
    res.json(await listDeliveries(deps, webhook_id, orgId, query));
  };
}
