import type { Request, Response } from 'express';
import { mistralFileObject } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { fileProgressOf } from '../../services/file-progress.service.ts';
import { mistralFileView } from '../../services/mistral-files.service.ts';
import { requireFile } from './mistral.params.ts';

/**
 * `GET /v1/files/{file_id}`: the file object plus `processing` (OCR status and page counts, a
 * Folio field the Mistral SDK ignores); 404 when unknown, deleted or another tenant's.
 */
export function filesRetrieveHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const file = await requireFile(deps, req.params, orgId);
    res.json({ ...mistralFileObject(mistralFileView(file)), processing: await fileProgressOf(deps, file) });
  };
}
