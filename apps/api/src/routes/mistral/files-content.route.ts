import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { isStorageError } from '@folio/storage';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { AppError } from '../../errors/app-error.ts';
import { fromLibraryError } from '../../errors/domain-errors.ts';
import { requireFile } from './mistral.params.ts';

/** `GET /v1/files/{file_id}/content`: streams the original as uploaded (never buffered whole), as octet-stream. */
export function filesContentHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const file = await requireFile(deps, req.params, orgId);
    const missing = () => new AppError('not_found', `File ${file.id} has no stored content yet.`, { reason: 'content_not_ready' });
    if (!file.storageKey || !file.sha256) throw missing();
    let body: Readable;
    try {
      body = await deps.storage.getStream(file.storageKey);
    } catch (err) {
      throw isStorageError(err, 'not_found') ? missing() : fromLibraryError(err);
    }
    res.attachment(file.filename);
    // As Mistral answers (and the SDK's download insists on): the bytes, whatever the document type.
    res.type('application/octet-stream');
    if (file.bytes !== null) res.setHeader('Content-Length', String(file.bytes));
    // Headers are out once bytes flow: a storage failure mid-stream can only cut the response.
    await pipeline(body, res);
  };
}
