import express, { Router } from 'express';
import { nanonetsErrorBody } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { authenticate, type KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { inferenceListHandler } from './inference-list.route.ts';
import { inferencePageImageHandler } from './inference-page-image.route.ts';
import { inferenceFileHandler, inferencePageHandler } from './inference-request.route.ts';
import { labelFileHandler } from './label-file.route.ts';
import { labelUrlsHandler } from './label-urls.route.ts';
import { trainHandler } from './train.route.ts';
import { uploadFileHandler } from './upload-file.route.ts';
import { uploadUrlsHandler } from './upload-urls.route.ts';

/** URL lists and annotation JSON are small; 1 MiB leaves room for 100 long presigned URLs. */
const BODY_LIMIT = '1mb';

/** Nanonets v2 routes, mounted under `/api/v2`; HTTP Basic with the key as the username. */
export function nanonetsRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use((_req, res, next) => {
    useErrorRenderer(res, nanonetsErrorBody);
    next();
  });
  router.use(authenticate(keys, 'Basic'));
  // `urls=a&urls=b` (what Python's requests sends for a list) or JSON.
  const urlBody = [express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.json({ limit: BODY_LIMIT })];

  const labelFile = labelFileHandler(deps);
  router.post('/OCR/Model/:model_id/LabelFile/Async', labelFile);
  router.post('/OCR/Model/:model_id/LabelFile', labelFile);
  const labelUrls = labelUrlsHandler(deps);
  router.post('/OCR/Model/:model_id/LabelUrls/Async', ...urlBody, labelUrls);
  router.post('/OCR/Model/:model_id/LabelUrls', ...urlBody, labelUrls);
  router.post('/OCR/Model/:model_id/UploadFile', uploadFileHandler(deps));
  router.post('/OCR/Model/:model_id/UploadUrls', ...urlBody, uploadUrlsHandler(deps));
  router.post('/OCR/Model/:model_id/Train', trainHandler(deps));
  router.get('/Inferences/Model/:model_id/InferenceRequest', inferenceListHandler(deps));
  router.get('/Inferences/Model/:model_id/InferenceRequest/:request_file_id/page/:page_id', inferencePageHandler(deps));
  router.get('/Inferences/Model/:model_id/InferenceRequest/:request_file_id/page/:page_id/image', inferencePageImageHandler(deps));
  router.get('/Inferences/Model/:model_id/InferenceRequest/:request_file_id', inferenceFileHandler(deps));
  return router;
}
