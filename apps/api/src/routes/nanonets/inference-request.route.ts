import type { Request, Response } from 'express';
import { nanonetsFileParamsSchema, nanonetsFileResult, nanonetsPageParamsSchema, nanonetsPageResult } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { inferenceFile, inferencePage } from '../../services/nanonets-inference.service.ts';
import { parseWith } from './nanonets.params.ts';

/**
 * `GET /Inferences/Model/{model_id}/InferenceRequest/{request_file_id}`: every page of the file
 * in the seed's ModeratedFileResponse, plus the file's progress (`status`, page counts, failed
 * pages with their reasons: the object `GET /v1/files/{id}` shows as `processing`).
 */
export function inferenceFileHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsFileParamsSchema, req.params);
    const { view, progress } = await inferenceFile(deps, { orgId, modelId: params.model_id, fileId: params.request_file_id });
    res.json({ ...nanonetsFileResult(view), ...progress });
  };
}

/** `GET .../InferenceRequest/{request_file_id}/page/{page_id}`: that page only. */
export function inferencePageHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsPageParamsSchema, req.params);
    const { file, page, status } = await inferencePage(deps, { orgId, modelId: params.model_id, fileId: params.request_file_id, pageId: params.page_id });
    res.json({ ...nanonetsPageResult(file, page), status: status.toLowerCase() });
  };
}
