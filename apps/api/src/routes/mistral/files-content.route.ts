import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { openFileContent } from '../../services/mistral-files.service.ts';
import { fileIdOf } from './mistral.params.ts';

/** `GET /v1/files/{file_id}/content`: streams the original as uploaded (never buffered whole), as octet-stream. */
export function filesContentHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { filename, bytes, body } = await openFileContent(deps, orgId, fileIdOf(req.params));
    res.attachment(filename);
    // As Mistral answers (and the SDK's download insists on): the bytes, whatever the document type.
    res.type('application/octet-stream');
    if (bytes !== null) res.setHeader('Content-Length', String(bytes));
    // Headers are out once bytes flow: a storage failure mid-stream can only cut the response.
    await pipeline(body, res);
  };
}
