import express, { Router } from 'express';
import { operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { webhookCreateHandler } from './webhook-create.route.ts';
import { webhookDeleteHandler } from './webhook-delete.route.ts';
import { webhookDeliveriesHandler } from './webhook-deliveries.route.ts';
import { webhookListHandler } from './webhook-list.route.ts';

/**
 * Webhook endpoints of the caller's organization (Bearer; see `webhooksOperations`), errors as
 * `{ error: { code, reason, message } }`: create, list, delete, and each one's delivery log.
 */
export function webhooksRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const json = express.json({ limit: '16kb' });
  return mountOperations(
    Router(),
    operationTables.webhooks,
    {
      webhooksCreate: [json, webhookCreateHandler(deps)],
      webhooksList: webhookListHandler(deps),
      webhooksDelete: webhookDeleteHandler(deps),
      webhooksDeliveries: webhookDeliveriesHandler(deps),
    },
    keys, { maxBodyBytes: 16 * 1024 },
  );
}
