import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { doctrQuerySchema, doctrResult, issuesFromZod, describeZodError, pageFailureText, pageLanguage, type DoctrResult } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { abortOnClose } from '../../http/abort-on-close.ts';
import { errors } from '../../errors/app-error.ts';
import { multipartSource } from '../../http/multipart.ts';
import { recognizeDoctrUploads } from '../../services/doctr-ocr.service.ts';

export { DOCTR_PURPOSE } from '../../services/doctr-ocr.service.ts';

/**
 * `POST /ocr`: every `files` part (PNG, JPEG, PDF, TIFF) is stored and recognized together; the
 * answer has one entry per page in upload order. The query options are validated with the seed's
 * defaults (an unknown one is a 422 naming it); the detector thresholds travel with the files to
 * the engine, those that shape the answer are honoured here; the model names and batch sizes are
 * accepted, Folio's one engine runs with its own.
 */
export function doctrOcrHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const query = doctrQuerySchema.safeParse(req.query);
    if (!query.success) throw errors.validation(describeZodError(query.error), issuesFromZod(query.error, 'query'));
    const results = await recognizeDoctrUploads(deps, {
      orgId,
      parts: multipartSource(req, { maxFileBytes: deps.config.MAX_UPLOAD_BYTES }),
      requestId: String(res.locals.requestId ?? randomUUID()),
      signal: abortOnClose(res),
      forceOcr: query.data.force_ocr,
      detection: detectionOf(query.data),
    });
    const language = async (page: Parameters<typeof pageLanguage>[0]) => (query.data.detect_language ? pageLanguage(page) : undefined);
    const perFile = await Promise.all(results.map(async ({ file, pages }) => ({ file, pages: await Promise.all(pages.map(async (p) => ({ ...p, language: p.result ? await language(p.result) : undefined }))) })));
    const body: DoctrResult[] = perFile.flatMap(({ file, pages }) =>
      pages.map(({ page, result, language }) => {
        if (result) return doctrResult(file.filename, result, query.data, language);
        // A failed page keeps its place (its siblings still answer) and says why.
        return {
          name: file.filename,
          orientation: { value: null, confidence: null },
          language: { value: null, confidence: null },
          dimensions: [page.height ?? 0, page.width ?? 0] as [number, number],
          pages: [{ blocks: [] }],
          error: `Page ${page.index + 1} could not be recognized: ${pageFailureText(page) ?? 'unknown error'}`,
        };
      }),
    );
    res.json(body);
  };
}

/** The thresholds the request set; absent ones stay the engine's own. */
function detectionOf(q: { binary_threshold?: number | undefined; box_threshold?: number | undefined }) {
  return {
    ...(q.binary_threshold !== undefined ? { binaryThreshold: q.binary_threshold } : {}),
    ...(q.box_threshold !== undefined ? { boxThreshold: q.box_threshold } : {}),
  };
}
