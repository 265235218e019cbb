import express, { Router } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { authenticate, type KeyLookup } from '../../auth/auth.middleware.ts';
import { modelsListHandler } from './models-list.route.ts';
import { pageGetHandler } from './page-get.route.ts';
import { pageImageHandler } from './page-image.route.ts';
import { pageRevertHandler } from './page-revert.route.ts';
import { pageStateHandler } from './page-state.route.ts';
import { predictionCreateHandler } from './prediction-create.route.ts';
import { predictionDeleteHandler } from './prediction-delete.route.ts';
import { predictionUpdateHandler } from './prediction-update.route.ts';
import { queueListHandler } from './queue-list.route.ts';

const PREFIX = '/v1/review';

/**
 * Back-office review API (Bearer, organization-scoped; another tenant's ids are 404): the queue,
 * one page with its boxes and audit trail, its image (with boxes drawn on request), approve /
 * reject / reset, box edits and reverting them. Errors use the default `{ error: { code, reason, message } }`.
 */
export function reviewRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use(PREFIX, authenticate(keys, 'Bearer'));
  const json = express.json({ limit: '64kb' });

  router.get(`${PREFIX}/models`, modelsListHandler(deps));
  router.get(`${PREFIX}/pages`, queueListHandler(deps));
  router.get(`${PREFIX}/pages/:page_id`, pageGetHandler(deps));
  router.get(`${PREFIX}/pages/:page_id/image`, pageImageHandler(deps));
  router.post(`${PREFIX}/pages/:page_id/approve`, pageStateHandler(deps, 'approved'));
  router.post(`${PREFIX}/pages/:page_id/reject`, pageStateHandler(deps, 'rejected'));
  router.post(`${PREFIX}/pages/:page_id/reset`, pageStateHandler(deps, 'unmoderated'));
  router.post(`${PREFIX}/pages/:page_id/revert`, pageRevertHandler(deps));
  router.post(`${PREFIX}/pages/:page_id/predictions`, json, predictionCreateHandler(deps));
  router.patch(`${PREFIX}/pages/:page_id/predictions/:prediction_id`, json, predictionUpdateHandler(deps));
  router.delete(`${PREFIX}/pages/:page_id/predictions/:prediction_id`, predictionDeleteHandler(deps));
  return router;
}
