import type { Request, Response } from 'express';
import { REVIEW_PATCH_FIELDS, reviewPredictionParamsSchema, reviewPredictionPatchSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { updateReviewPrediction } from '../../services/moderation.service.ts';
import { jsonBody, parseWith } from './review.params.ts';

/**
 * `PATCH /v1/review/pages/{page_id}/predictions/{prediction_id}`: new text, label or edges. A
 * model box is replaced by a moderator box, so the answer's `id` may differ from the path's.
 */
export function predictionUpdateHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const who = principalOf(res.locals);
    const { page_id, prediction_id } = parseWith(reviewPredictionParamsSchema, req.params, 'path');
    const body = parseWith(reviewPredictionPatchSchema, jsonBody(req, `at least one of ${REVIEW_PATCH_FIELDS.join(', ')}`), 'body');
    res.json(await updateReviewPrediction(deps, who, { pageId: page_id, predictionId: prediction_id }, body));
  };
}
