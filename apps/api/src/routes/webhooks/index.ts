import express, { Router } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { authenticate, type KeyLookup } from '../../auth/auth.middleware.ts';
import { webhookCreateHandler } from './webhook-create.route.ts';
import { webhookDeleteHandler } from './webhook-delete.route.ts';
import { webhookDeliveriesHandler } from './webhook-deliveries.route.ts';
import { webhookListHandler } from './webhook-list.route.ts';

/**
 * Webhook endpoints of the caller's organization (`Authorization: Bearer <key>`), errors as
 * `{ error: { code, reason, message } }`: create, list, delete, and each one's delivery log.
 */
export function webhooksRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use('/v1/webhooks', authenticate(keys, 'Bearer'));
  const json = express.json({ limit: '16kb' });
  router.post('/v1/webhooks', json, webhookCreateHandler(deps));
  router.get('/v1/webhooks', webhookListHandler(deps));
  router.delete('/v1/webhooks/:webhook_id', webhookDeleteHandler(deps));
  router.get('/v1/webhooks/:webhook_id/deliveries', webhookDeliveriesHandler(deps));
  return router;
}
