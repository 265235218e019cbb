import type { Request, Response } from 'express';
import { mistralSignedUrlQuerySchema, mistralSignedUrlResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { AppError } from '../../errors/app-error.ts';
import { fromLibraryError } from '../../errors/domain-errors.ts';
import { parseWith, requireFile } from './mistral.params.ts';

/** `GET /v1/files/{file_id}/url?expiry=H`: a presigned GET of the original, valid H hours (1..168, default 24). */
export function filesSignedUrlHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { expiry } = parseWith(mistralSignedUrlQuerySchema, req.query, 'query');
    const file = await requireFile(deps, req.params, orgId);
    // A URL input the worker has not fetched yet has no original to sign.
    if (!file.storageKey || !file.sha256) throw new AppError('not_found', `File ${file.id} has no stored content yet.`, { reason: 'content_not_ready' });
    try {
      const url = await deps.storage.presignGet(file.storageKey, { expiresInSeconds: expiry * 3_600, filename: file.filename });
      res.json(mistralSignedUrlResponse(url));
    } catch (err) {
      throw fromLibraryError(err);
    }
  };
}
