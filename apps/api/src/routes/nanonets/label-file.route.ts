import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  NANONETS_FILE_FIELD,
  nanonetsAsyncAccepted,
  nanonetsAsyncQuerySchema,
  nanonetsLabelFileFieldsSchema,
  nanonetsModelParamsSchema,
  nanonetsPredictionResponse,
} from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { parseMultipart } from '../../http/multipart.ts';
import { assertCapacity, awaitCompletion, discardFiles, isFinal, storeUpload, submitFiles } from '../../services/intake.service.ts';
import { fileSummary, fileView } from '../../services/nanonets-view.service.ts';
import { parseWith, requireModel, routeAsync, singleFields } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/LabelFile/` (sync, ≤ SYNC_MAX_PAGES pages, waits for the result)
 * and `.../LabelFile/Async/` or `?async=true` (answers with `request_file_id`s to poll).
 */
export function labelFileHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const query = parseWith(nanonetsAsyncQuerySchema, req.query);
    await requireModel(deps, model_id, orgId);
    await assertCapacity(deps);
    let sync = !routeAsync(req) && !query.async;

    const { fields, files } = await parseMultipart<FileRow | null>(
      req,
      { maxFileBytes: deps.config.MAX_UPLOAD_BYTES },
      async (part) => {
        if (part.field !== NANONETS_FILE_FIELD) {
          part.stream.resume();
          return null;
        }
        return storeUpload(deps, part, { orgId, modelId: model_id, sync });
      },
      (done) => discardFiles(deps, done.filter((f): f is FileRow => f !== null)),
    );
    let stored = files.filter((f): f is FileRow => f !== null);
    try {
      if (stored.length === 0) throw errors.badRequest(`Send at least one file in the multipart field "${NANONETS_FILE_FIELD}".`, 'no_file');
      const form = parseWith(nanonetsLabelFileFieldsSchema, singleFields(fields));
      if (form.async === true) sync = false;
      if (form.request_metadata !== undefined) {
        stored = await Promise.all(stored.map(async (f) => (await deps.db.files.update(f.id, { requestMetadata: form.request_metadata ?? null })) ?? f));
      }
    } catch (err) {
      await discardFiles(deps, stored);
      throw err;
    }

    const requestId = String(res.locals.requestId ?? randomUUID());
    const submitted = await submitFiles(deps, stored, requestId);
    if (!sync) {
      res.json(nanonetsAsyncAccepted(await Promise.all(submitted.map((f) => fileSummary(deps, f)))));
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const finished = await awaitCompletion(deps, submitted, deps.config.SYNC_TIMEOUT_MS, abort.signal);
    if (finished.every(isFinal)) {
      res.json(nanonetsPredictionResponse(await Promise.all(finished.map((f) => fileView(deps, f)))));
      return;
    }
    const seconds = Math.round(deps.config.SYNC_TIMEOUT_MS / 1000);
    res.status(202).json(
      nanonetsAsyncAccepted(
        await Promise.all(finished.map((f) => fileSummary(deps, f))),
        `Pending: the result was not ready within ${seconds} s; poll GET /api/v2/Inferences/Model/${model_id}/InferenceRequest/{request_file_id}.`,
      ),
    );
  };
}
