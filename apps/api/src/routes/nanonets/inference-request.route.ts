import type { Request, Response } from 'express';
import { nanonetsFileParamsSchema, nanonetsFileResult, nanonetsPageParamsSchema, nanonetsPageResult } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { fileProgressOf } from '../../services/file-progress.service.ts';
import { fileSummary, fileView, pageView } from '../../services/nanonets-view.service.ts';
import { parseWith, requireFile, requireModel } from './nanonets.params.ts';

/**
 * `GET /Inferences/Model/{model_id}/InferenceRequest/{request_file_id}`: every page of the file
 * in the seed's ModeratedFileResponse, plus the file's progress (`status`, page counts, failed
 * pages with their reasons: the object `GET /v1/files/{id}` shows as `processing`).
 */
export function inferenceFileHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsFileParamsSchema, req.params);
    await requireModel(deps, params.model_id, orgId);
    const file = await requireFile(deps, params.request_file_id, orgId, params.model_id);
    const view = await fileView(deps, file);
    res.json({ ...nanonetsFileResult(view), ...(await fileProgressOf(deps, file)) });
  };
}

/** `GET .../InferenceRequest/{request_file_id}/page/{page_id}`: that page only. */
export function inferencePageHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const params = parseWith(nanonetsPageParamsSchema, req.params);
    await requireModel(deps, params.model_id, orgId);
    const file = await requireFile(deps, params.request_file_id, orgId, params.model_id);
    const pages = await deps.db.pages.listByFileWithPredictions(file.id);
    const page = pages.find((p) => p.id === params.page_id);
    if (!page) throw errors.notFound('Page', params.page_id);
    res.json({ ...nanonetsPageResult(await fileSummary(deps, file), await pageView(deps, page)), status: page.status.toLowerCase() });
  };
}
