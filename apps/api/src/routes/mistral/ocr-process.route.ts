import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { mistralDocumentSource, mistralOcrRequestSchema } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { assertCapacity } from '../../services/intake.service.ts';
import { checkSelection, ocrFinishedFile, recognizeNew, storeDataUrl, storeDocumentUrl, waitForFile } from '../../services/mistral-ocr.service.ts';
import { abortOnClose, ocrOptions, parsePages } from './mistral.ocr-options.ts';
import { parseWith, requireFile } from './mistral.params.ts';

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
    const signal = abortOnClose(res);

    let finished: FileRow;
    if (source.kind === 'file') {
      // `org_id` (seed) can only name the caller's own organization: the key decides the tenant.
      const file = await requireFile(deps, { file_id: source.fileId }, orgId);
      checkSelection(spec, file);
      finished = await waitForFile(deps, file, signal);
    } else {
      await assertCapacity(deps);
      const field = body.document.type === 'content' ? 'document_content' : body.document.type;
      const file =
        source.kind === 'data'
          ? await storeDataUrl(deps, source.dataUrl, orgId, ['body', 'document', field])
          : await storeDocumentUrl(deps, source.url, orgId, source.name);
      finished = await recognizeNew(deps, file, spec, String(res.locals.requestId ?? randomUUID()), signal);
    }
    res.json(await ocrFinishedFile(deps, finished, spec, ocrOptions(body)));
  };
}
