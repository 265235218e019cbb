import type { Request, Response } from 'express';
import { nanonetsModelParamsSchema, nanonetsTrainResponse } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { parseWith, requireModel } from './nanonets.params.ts';

/**
 * `POST /OCR/Model/{model_id}/Train/`: records a TrainingRun over the model's uploaded images.
 * There is no trainer yet: the run stays queued, the answer says so (`trained: false`) and the
 * model keeps predicting with the built-in engine. A model without training images is refused.
 */
export function trainHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    await requireModel(deps, model_id, orgId);
    const images = await deps.db.training.countImages(model_id, orgId);
    if (images === 0) {
      throw errors.badRequest(
        `Model ${model_id} has no training images; upload some with POST /api/v2/OCR/Model/${model_id}/UploadFile/ or /UploadUrls/ first.`,
        'no_training_data',
      );
    }
    const message =
      `Training run recorded with ${images} training image${images === 1 ? '' : 's'}. ` +
      'Folio does not train models yet: the run stays queued until a trainer exists, and the model keeps predicting with the built-in OCR engine.';
    const run = await deps.db.training.createRun(model_id, orgId, message);
    res.json(nanonetsTrainResponse(run, images));
  };
}
