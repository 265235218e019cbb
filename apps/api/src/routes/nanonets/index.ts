import { Router } from 'express';
import { nanonetsErrorBody } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { authenticate, type KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { inferenceFileHandler, inferencePageHandler } from './inference-request.route.ts';
import { labelFileHandler } from './label-file.route.ts';

/** Nanonets v2 routes, mounted under `/api/v2`; HTTP Basic with the key as the username. */
export function nanonetsRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use((_req, res, next) => {
    useErrorRenderer(res, nanonetsErrorBody);
    next();
  });
  router.use(authenticate(keys, 'Basic'));
  const labelFile = labelFileHandler(deps);
  router.post('/OCR/Model/:model_id/LabelFile/Async', labelFile);
  router.post('/OCR/Model/:model_id/LabelFile', labelFile);
  router.get('/Inferences/Model/:model_id/InferenceRequest/:request_file_id/page/:page_id', inferencePageHandler(deps));
  router.get('/Inferences/Model/:model_id/InferenceRequest/:request_file_id', inferenceFileHandler(deps));
  return router;
}
