import type { Request, Response } from 'express';
import { mistralFileObject } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { retrieveFile } from '../../services/mistral-files.service.ts';
import { fileIdOf } from './mistral.params.ts';

/**
 * `GET /v1/files/{file_id}`: the file object plus `processing` (OCR status and page counts, a
 * Folio field the Mistral SDK ignores); 404 when unknown, deleted or another tenant's.
 */
export function filesRetrieveHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { file, processing } = await retrieveFile(deps, orgId, fileIdOf(req.params));
    res.json({ ...mistralFileObject(file), processing });
  };
}
