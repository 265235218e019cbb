import type { Request, Response } from 'express';
import { nanonetsModelParamsSchema, nanonetsTrainResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { recordTrainingRun } from '../../services/training.service.ts';
import { parseWith } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/Train/`: queues a training run on the `train` queue (or answers the one
 * under way); the model switches to the new version only when the run succeeds. Bad data: 400,
 * worded by recordTrainingRun.
 */
export function trainHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const { run, images } = await recordTrainingRun(deps, { orgId, modelId: model_id });
    res.json(nanonetsTrainResponse(run, images));
  };
}
