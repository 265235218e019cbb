import type { Request, Response } from 'express';
import { fileExportQuerySchema, type FileExportPending } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { exportFile } from '../../services/file-export.service.ts';
import { fileIdOf, parseWith } from './mistral.params.ts';

/**
 * `GET /v1/files/{file_id}/export?format=pdf|hocr|txt|md|json`: the finished file as a searchable
 * PDF, hOCR, text, Markdown or canonical JSON; 409 with the file's progress while it is being read.
 */
export function filesExportHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { format } = parseWith(fileExportQuerySchema, req.query, 'query');
    const out = await exportFile(deps, { orgId, fileId: fileIdOf(req.params), format });
    if (out.kind === 'pending') {
      const p = out.progress;
      const body: FileExportPending = {
        object: 'error',
        type: 'invalid_request_error',
        param: null,
        code: 'file_not_finished',
        message: `File ${p.file_id} is not finished yet (${p.pages_done + p.pages_failed} of ${p.pages_total} pages read): export it once it is.`,
        processing: p,
      };
      res.status(409).setHeader('Retry-After', '2').json(body);
      return;
    }
    res.attachment(out.filename);
    res.type(out.contentType).send(out.body);
  };
}
