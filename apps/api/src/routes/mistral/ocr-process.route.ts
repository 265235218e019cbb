import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { mistralDocumentSource, mistralFileParamsSchema, mistralOcrRequestSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { ocrDocument } from '../../services/mistral-ocr.service.ts';
import { abortOnClose, ocrOptions, parsePages } from './mistral.ocr-options.ts';
import { parseWith } from './mistral.params.ts';

/**
 * `POST /v1/ocr` (MistralOCRRequest): the document as an http(s) URL (fetched by the worker,
 * SSRF-checked), a `data:` URI (in `document_url`, `image_url` or `content`), or the id of an
 * uploaded file. Inline and URL documents are sync requests: at most SYNC_MAX_PAGES pages.
 */
export function ocrProcessHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const body = parseWith(mistralOcrRequestSchema, req.body ?? {}, 'body');
    const spec = parsePages(body.pages);
    const source = mistralDocumentSource(body.document);
    // A file id is checked as the path parameter of the by-id routes is.
    if (source.kind === 'file') parseWith(mistralFileParamsSchema, { file_id: source.fileId }, 'path');
    const response = await ocrDocument(deps, {
      orgId,
      source,
      dataField: body.document.type === 'content' ? 'document_content' : body.document.type,
      spec,
      options: ocrOptions(body),
      requestId: String(res.locals.requestId ?? randomUUID()),
      signal: abortOnClose(res),
      forceOcr: body.force_ocr === true,
    });
    res.json(response);
  };
}
