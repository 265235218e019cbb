import type { Request, Response } from 'express';
import { nanonetsModelParamsSchema, nanonetsTrainResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { recordTrainingRun } from '../../services/training.service.ts';
import { parseWith } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/Train/`: records a TrainingRun over the model's uploaded images.
 * There is no trainer yet: the run stays queued, the answer says so (`trained: false`) and the
 * model keeps predicting with the built-in engine. A model without training images is refused.
 */
export function trainHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const { run, images } = await recordTrainingRun(deps, { orgId, modelId: model_id });
    res.json(nanonetsTrainResponse(run, images));
  };
}
