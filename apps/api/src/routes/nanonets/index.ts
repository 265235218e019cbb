import express, { Router } from 'express';
import { NANONETS_BASE_PATH, nanonetsErrorBody, operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { inferenceListHandler } from './inference-list.route.ts';
import { inferencePageImageHandler } from './inference-page-image.route.ts';
import { inferenceFileHandler, inferencePageHandler } from './inference-request.route.ts';
import { labelFileHandler } from './label-file.route.ts';
import { labelUrlsHandler } from './label-urls.route.ts';
import { createModelHandler, getModelHandler, listModelsHandler, updateModelHandler } from './models.route.ts';
import { trainHandler } from './train.route.ts';
import { uploadFileHandler } from './upload-file.route.ts';
import { uploadUrlsHandler } from './upload-urls.route.ts';
import { uploadBodyCeiling } from '../../http/content-length.limit.ts';

/** URL lists and annotation JSON are small; 1 MiB leaves room for 100 long presigned URLs. */
const BODY_LIMIT = '1mb';

/**
 * Nanonets v2 routes under `/api/v2` (paths, HTTP Basic with the key as the username: see
 * `nanonetsOperations`); errors in the Nanonets shape.
 */
export function nanonetsRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use(NANONETS_BASE_PATH, (_req, res, next) => {
    useErrorRenderer(res, nanonetsErrorBody);
    next();
  });
  // `urls=a&urls=b` (what Python's requests sends for a list) or JSON.
  const urlBody = [express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.json({ limit: BODY_LIMIT })];
  // The `/Async/` twins share their handler, which reads the path (and `?async=true`).
  const labelFile = labelFileHandler(deps);
  const labelUrls = [...urlBody, labelUrlsHandler(deps)] as const;

  return mountOperations(
    router,
    operationTables.nanonets,
    {
      nanonetsLabelFile: labelFile,
      nanonetsLabelFileAsync: labelFile,
      nanonetsLabelUrls: labelUrls,
      nanonetsLabelUrlsAsync: labelUrls,
      nanonetsGetFile: inferenceFileHandler(deps),
      nanonetsGetPage: inferencePageHandler(deps),
      nanonetsGetPageImage: inferencePageImageHandler(deps),
      nanonetsListFiles: inferenceListHandler(deps),
      nanonetsUploadTrainingFiles: uploadFileHandler(deps),
      nanonetsUploadTrainingUrls: [...urlBody, uploadUrlsHandler(deps)],
      nanonetsCreateModel: [express.json({ limit: BODY_LIMIT }), createModelHandler(deps)],
      nanonetsListModels: listModelsHandler(deps),
      nanonetsGetModel: getModelHandler(deps),
      nanonetsUpdateModel: [express.json({ limit: BODY_LIMIT }), updateModelHandler(deps)],
      nanonetsTrain: trainHandler(deps),
    },
    keys, { maxBodyBytes: uploadBodyCeiling(deps.config) },
  );
}
