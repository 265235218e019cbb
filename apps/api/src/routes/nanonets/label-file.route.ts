import type { Request, Response } from 'express';
import {
  NANONETS_FILE_FIELD,
  nanonetsAsyncQuerySchema,
  nanonetsLabelFileFieldsSchema,
  nanonetsModelParamsSchema,
} from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { parseMultipart } from '../../http/multipart.ts';
import { assertCapacity, discardFiles, processingFields, storeUpload } from '../../services/intake.service.ts';
import { answerLabelRequest } from './label.responder.ts';
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
      // Form fields may follow the file parts, so rows already written as sync are corrected here,
      // before ingest is enqueued.
      const turnedAsync = sync && form.async === true;
      if (turnedAsync) sync = false;
      const changes = {
        ...(turnedAsync ? processingFields(false) : {}),
        ...(form.request_metadata !== undefined ? { requestMetadata: form.request_metadata ?? null } : {}),
      };
      if (Object.keys(changes).length > 0) {
        stored = await Promise.all(stored.map(async (f) => (await deps.db.files.update(f.id, changes)) ?? f));
      }
    } catch (err) {
      await discardFiles(deps, stored);
      throw err;
    }
    await answerLabelRequest(deps, res, { files: stored, sync, modelId: model_id, route: 'LabelFile' });
  };
}
