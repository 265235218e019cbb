import express, { Router } from 'express';
import { mistralErrorBody, operationTables } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { useErrorRenderer } from '../../errors/error.middleware.ts';
import { mountOperations } from '../../http/operation.router.ts';
import { filesContentHandler } from './files-content.route.ts';
import { filesDeleteHandler } from './files-delete.route.ts';
import { filesEventsHandler } from './files-events.route.ts';
import { filesExportHandler } from './files-export.route.ts';
import { filesListHandler } from './files-list.route.ts';
import { filesOcrHandler } from './files-ocr.route.ts';
import { filesRetrieveHandler } from './files-retrieve.route.ts';
import { filesSignedUrlHandler } from './files-signed-url.route.ts';
import { filesUploadHandler } from './files-upload.route.ts';
import { ocrProcessHandler } from './ocr-process.route.ts';
import { mistralStatusMapper } from './mistral.params.ts';
import { uploadBodyCeiling } from '../../http/content-length.limit.ts';

/** Paths this dialect owns; other `/v1/*` routes (NIM) pass through untouched. */
const PATHS = ['/v1/files', '/v1/ocr'];

/**
 * Files + OCR routes (Mistral SDK compatible, Nebul seed; paths and Bearer auth: see
 * `filesOperations`), errors in Mistral's shape (422 as FastAPI `detail`).
 */
export function mistralRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const router = Router();
  router.use(PATHS, (_req, res, next) => {
    useErrorRenderer(res, mistralErrorBody);
    next();
  });
  // A data: URI carries the whole document, base64 (4/3 of its size).
  const json = express.json({ limit: Math.ceil((deps.config.MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024 });

  mountOperations(
    router,
    operationTables.files,
    {
      filesUpload: filesUploadHandler(deps),
      filesList: filesListHandler(deps),
      filesRetrieve: filesRetrieveHandler(deps),
      filesDelete: filesDeleteHandler(deps),
      filesDownload: filesContentHandler(deps),
      filesGetSignedUrl: filesSignedUrlHandler(deps),
      filesEvents: filesEventsHandler(deps),
      filesExport: filesExportHandler(deps),
      filesOcr: [json, filesOcrHandler(deps)],
      ocrProcess: [json, ocrProcessHandler(deps)],
    },
    keys, { maxBodyBytes: uploadBodyCeiling(deps.config) },
  );
  router.use(PATHS, mistralStatusMapper);
  return router;
}
