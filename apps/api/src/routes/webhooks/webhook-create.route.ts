import type { Request, Response } from 'express';
import { webhookCreateSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { createEndpoint } from '../../services/webhooks.service.ts';
import { parseOr400 } from './webhooks.params.ts';

/** `POST /v1/webhooks` `{ url, events? }`: 201 with the endpoint and its secret (shown once). */
export function webhookCreateHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const body = parseOr400(webhookCreateSchema, req.body ?? {}, 'body');
    res.status(201).json(await createEndpoint(deps, orgId, body));
  };
}
