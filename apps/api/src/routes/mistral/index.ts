import express, { Router } from 'express';
import { mistralErrorBody } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { authenticate, type KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { filesContentHandler } from './files-content.route.ts';
import { filesDeleteHandler } from './files-delete.route.ts';
import { filesEventsHandler } from './files-events.route.ts';
import { filesListHandler } from './files-list.route.ts';
import { filesOcrHandler } from './files-ocr.route.ts';
import { filesRetrieveHandler } from './files-retrieve.route.ts';
import { filesSignedUrlHandler } from './files-signed-url.route.ts';
import { filesUploadHandler } from './files-upload.route.ts';
import { ocrProcessHandler } from './ocr-process.route.ts';
import { mistralStatusMapper } from './mistral.params.ts';

/** Paths this dialect owns; other `/v1/*` routes (NIM) pass through untouched. */
const PATHS = ['/v1/files', '/v1/ocr'];

/**
 * Files + OCR routes (Mistral SDK compatible, Nebul seed), mounted at the root:
 * `Authorization: Bearer <key>`, errors in Mistral's shape (422 as FastAPI `detail`).
 */
export function mistralRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use(PATHS, (_req, res, next) => {
    useErrorRenderer(res, mistralErrorBody);
    next();
  });
  router.use(PATHS, authenticate(keys, 'Bearer'));
  // A data: URI carries the whole document, base64 (4/3 of its size).
  const json = express.json({ limit: Math.ceil((deps.config.MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024 });

  router.post('/v1/files', filesUploadHandler(deps));
  router.get('/v1/files', filesListHandler(deps));
  router.get('/v1/files/:file_id', filesRetrieveHandler(deps));
  router.delete('/v1/files/:file_id', filesDeleteHandler(deps));
  router.get('/v1/files/:file_id/content', filesContentHandler(deps));
  router.get('/v1/files/:file_id/url', filesSignedUrlHandler(deps));
  router.get('/v1/files/:file_id/events', filesEventsHandler(deps));
  router.post('/v1/files/:file_id/ocr', json, filesOcrHandler(deps));
  router.post('/v1/ocr', json, ocrProcessHandler(deps));
  router.use(PATHS, mistralStatusMapper);
  return router;
}
