import type { Request, Response } from 'express';
import { mistralDeleteResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { deleteFile } from '../../services/mistral-files.service.ts';
import { fileIdOf } from './mistral.params.ts';

/**
 * `DELETE /v1/files/{file_id}`: hidden at once (404 on every route afterwards); the reaper removes
 * the row, its pages and its objects later.
 */
export function filesDeleteHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    res.json(mistralDeleteResponse(await deleteFile(deps, orgId, fileIdOf(req.params))));
  };
}
