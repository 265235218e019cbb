import type { Request, Response } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { streamFileEvents } from '../../services/file-events.service.ts';
import { fileIdOf } from './mistral.params.ts';

/**
 * `GET /v1/files/{file_id}/events`: the file's progress as Server-Sent Events (`snapshot`,
 * `progress`…, then `complete`, `partial` or `failed`, after which the server closes). A file
 * already finished answers its snapshot and final event at once. 404 for another tenant's id.
 */
export function filesEventsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    await streamFileEvents(deps, { orgId, fileId: fileIdOf(req.params) }, res);
  };
}
