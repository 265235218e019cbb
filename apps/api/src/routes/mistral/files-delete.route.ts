import type { Request, Response } from 'express';
import { mistralDeleteResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { requireFile } from './mistral.params.ts';
import { AppError } from '../../errors/app-error.ts';

/**
 * `DELETE /v1/files/{file_id}`: hidden at once (404 on every route afterwards); the reaper removes
 * the row, its pages and its objects later.
 */
export function filesDeleteHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const file = await requireFile(deps, req.params, orgId);
    // A concurrent delete may win between the lookup and here: that caller got the 200.
    if (!(await deps.db.files.softDelete(file.id, orgId))) throw new AppError('not_found', `File ${file.id} not found.`, { reason: 'file_not_found' });
    res.json(mistralDeleteResponse(file.id));
  };
}
