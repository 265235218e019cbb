import type { Request, Response } from 'express';
import { mistralSignedUrlQuerySchema, mistralSignedUrlResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { signedFileUrl } from '../../services/mistral-files.service.ts';
import { fileIdOf, parseWith } from './mistral.params.ts';

/** `GET /v1/files/{file_id}/url?expiry=H`: a presigned GET of the original, valid H hours (1..168, default 24). */
export function filesSignedUrlHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { expiry } = parseWith(mistralSignedUrlQuerySchema, req.query, 'query');
    res.json(mistralSignedUrlResponse(await signedFileUrl(deps, orgId, fileIdOf(req.params), expiry)));
  };
}
