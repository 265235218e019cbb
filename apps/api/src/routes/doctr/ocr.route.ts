import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DOCTR_FILES_FIELD, doctrQuerySchema, doctrResult, issuesFromZod, describeZodError, type DoctrResult } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { parseMultipart } from '../../http/multipart.ts';
import { assertCapacity, discardFiles, storeUpload } from '../../services/intake.service.ts';
import { recognizeNow } from '../../services/ocr-result.service.ts';
import { assertRecognizerReady } from '../../services/readiness.service.ts';

/** Files of this dialect are kept apart from the Files API's `ocr` uploads. */
export const DOCTR_PURPOSE = 'doctr';

const NOT_READY = 'The OCR models are not loaded yet; retry shortly.';

/**
 * `POST /ocr`: every `files` part (PNG, JPEG, PDF, TIFF) is stored and recognized together; the
 * answer has one entry per page in upload order. The query options are validated with the seed's
 * defaults; those that shape the answer are honoured, the model names, batch sizes and thresholds
 * are accepted but Folio's one engine runs with its own settings.
 */
export function doctrOcrHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const query = doctrQuerySchema.safeParse(req.query);
    if (!query.success) throw errors.validation(describeZodError(query.error), issuesFromZod(query.error, 'query'));
    await assertRecognizerReady(deps, NOT_READY);
    await assertCapacity(deps);

    const { files } = await parseMultipart<FileRow | null>(
      req,
      { maxFileBytes: deps.config.MAX_UPLOAD_BYTES },
      async (part) => {
        if (part.field !== DOCTR_FILES_FIELD) {
          part.stream.resume();
          return null;
        }
        return storeUpload(deps, part, { orgId, sync: true, purpose: DOCTR_PURPOSE });
      },
      (done) => discardFiles(deps, done.filter((f): f is FileRow => f !== null)),
    );
    const stored = files.filter((f): f is FileRow => f !== null);
    if (stored.length === 0) {
      throw errors.validation(`Field required: send one or more documents in the multipart field "${DOCTR_FILES_FIELD}".`, [
        { loc: ['body', DOCTR_FILES_FIELD], msg: 'Field required', type: 'missing' },
      ]);
    }

    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const results = await recognizeNow(deps, stored, String(res.locals.requestId ?? randomUUID()), abort.signal);
    const body: DoctrResult[] = results.flatMap(({ file, pages }) =>
      pages.map(({ page, result }) => {
        if (result) return doctrResult(file.filename, result, query.data);
        // A failed page keeps its place (its siblings still answer) and says why.
        return {
          name: file.filename,
          orientation: { value: null, confidence: null },
          language: { value: null, confidence: null },
          dimensions: [page.height ?? 0, page.width ?? 0] as [number, number],
          pages: [{ blocks: [] }],
          error: `Page ${page.index + 1} could not be recognized: ${page.error ?? 'unknown error'}`,
        };
      }),
    );
    res.json(body);
  };
}
