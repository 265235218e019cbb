import express, { Router } from 'express';
import { operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { modelsListHandler } from './models-list.route.ts';
import { pageGetHandler } from './page-get.route.ts';
import { pageImageHandler } from './page-image.route.ts';
import { pageRevertHandler } from './page-revert.route.ts';
import { pageStateHandler } from './page-state.route.ts';
import { predictionCreateHandler } from './prediction-create.route.ts';
import { predictionDeleteHandler } from './prediction-delete.route.ts';
import { predictionUpdateHandler } from './prediction-update.route.ts';
import { queueListHandler } from './queue-list.route.ts';

/** The largest review body: a box edit or a new prediction is a few hundred bytes of JSON. */
const REVIEW_BODY_BYTES = 64 * 1024;

/**
 * Back-office review API (Bearer, organization-scoped; another tenant's ids are 404; paths in
 * `reviewOperations`): the queue, one page with its boxes and audit trail, its image (with boxes
 * drawn on request), approve / reject / reset, box edits and reverting them. Errors use the
 * default `{ error: { code, reason, message } }`.
 */
export function reviewRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const json = express.json({ limit: `${REVIEW_BODY_BYTES}b` });
  return mountOperations(
    Router(),
    operationTables.review,
    {
      reviewListModels: modelsListHandler(deps),
      reviewListPages: queueListHandler(deps),
      reviewGetPage: pageGetHandler(deps),
      reviewGetPageImage: pageImageHandler(deps),
      reviewApprovePage: pageStateHandler(deps, 'approved'),
      reviewRejectPage: pageStateHandler(deps, 'rejected'),
      reviewResetPage: pageStateHandler(deps, 'unmoderated'),
      reviewRevertPage: pageRevertHandler(deps),
      reviewAddPrediction: [json, predictionCreateHandler(deps)],
      reviewUpdatePrediction: [json, predictionUpdateHandler(deps)],
      reviewDeletePrediction: predictionDeleteHandler(deps),
    },
    keys,
    // Declared bodies over the parser's own limit are refused from Content-Length, before auth and reading.
    { maxBodyBytes: REVIEW_BODY_BYTES },
  );
}
