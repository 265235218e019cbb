import { Router } from 'express';
import { doctrErrorBody, operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { doctrOcrHandler } from './ocr.route.ts';
import { uploadBodyCeiling } from '../../http/content-length.limit.ts';

/** docTR-style `POST /ocr` (Bearer); errors in FastAPI's `{ detail }` shape. */
export function doctrRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use('/ocr', (_req, res, next) => {
    useErrorRenderer(res, doctrErrorBody);
    next();
  });
  return mountOperations(router, operationTables.doctr, { doctrOcr: doctrOcrHandler(deps) }, keys, { maxBodyBytes: uploadBodyCeiling(deps.config) });
}
