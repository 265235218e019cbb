import type { Request, Response } from 'express';
import { reviewPredictionParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { deleteReviewPrediction } from '../../services/moderation.service.ts';
import { parseWith } from './review.params.ts';

/** `DELETE /v1/review/pages/{page_id}/predictions/{prediction_id}`: removes a box from the moderated set; answers it (inactive). */
export function predictionDeleteHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const who = principalOf(res.locals);
    const { page_id, prediction_id } = parseWith(reviewPredictionParamsSchema, req.params, 'path');
    res.json(await deleteReviewPrediction(deps, who, { pageId: page_id, predictionId: prediction_id }));
  };
}
