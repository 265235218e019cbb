import express, { Router, type ErrorRequestHandler } from 'express';
import { nimErrorBody, operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { AppError } from '../../errors/app-error.ts';
import { toAppError, useErrorRenderer } from '../../errors/error.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { inferHandler, NIM_MALFORMED_PREFIX } from './infer.route.ts';
import { uploadBodyCeiling } from '../../http/content-length.limit.ts';

/** base64 grows data by 4/3; room for the JSON around the images. */
const JSON_OVERHEAD_BYTES = 64 * 1024;

/**
 * The NIM seed answers every bad request body with 422 (`Malformed request`), where the shared
 * error mapping would say 400 for unparsable JSON.
 */
const malformedAs422: ErrorRequestHandler = (err, _req, _res, next) => {
  const e = toAppError(err);
  if (e.code === 'bad_request') {
    next(new AppError('unprocessable', `${NIM_MALFORMED_PREFIX}: ${e.message}`, { reason: e.reason ?? 'malformed_request', cause: err }));
    return;
  }
  next(e);
};

/** NVIDIA NIM image OCR: `POST /v1/infer` (Bearer). Health routes live in routes/health. */
export function nimRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  const json = express.json({
    limit: Math.ceil((deps.config.MAX_UPLOAD_BYTES * 4) / 3) + JSON_OVERHEAD_BYTES,
    // Any declared type: the seed's clients always send JSON, some without saying so.
    type: () => true,
  });
  router.use('/v1/infer', (_req, res, next) => {
    useErrorRenderer(res, nimErrorBody);
    next();
  });
  return mountOperations(router, operationTables.nim, { nimInfer: [json, malformedAs422, inferHandler(deps)] }, keys, { maxBodyBytes: uploadBodyCeiling(deps.config) });
}
