import type { Request, Response } from 'express';
import { nanonetsCreateModelBodySchema, nanonetsModelParamsSchema, nanonetsModelResponse, nanonetsUpdateModelBodySchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { createModel, describeModel, listModels, showModel, updateModelCategories } from '../../services/models.service.ts';
import { parseWith } from './nanonets.params.ts';

/** `POST /OCR/Model/` `{"categories": [...], "model_type": "ocr"}`: a new model. */
export function createModelHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const body = parseWith(nanonetsCreateModelBodySchema, req.body ?? {});
    res.json(nanonetsModelResponse(await describeModel(deps, await createModel(deps, orgId, body.categories))));
  };
}

/** `GET /OCR/Model/{model_id}`: the model object (404 for another organization's). */
export function getModelHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    res.json(nanonetsModelResponse(await showModel(deps, model_id, orgId)));
  };
}

/** `GET /OCR/Model/`: the organization's models. */
export function listModelsHandler(deps: ApiDeps) {
  return async (_req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    res.json((await listModels(deps, orgId)).map(nanonetsModelResponse));
  };
}

/** `PATCH /OCR/Model/{model_id}` `{"add": [...], "rename": {"old": "new"}}`: categories added or renamed. */
export function updateModelHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const body = parseWith(nanonetsUpdateModelBodySchema, req.body ?? {});
    res.json(nanonetsModelResponse(await updateModelCategories(deps, model_id, orgId, body)));
  };
}
