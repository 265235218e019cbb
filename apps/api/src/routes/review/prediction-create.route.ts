import type { Request, Response } from 'express';
import { reviewPageParamsSchema, reviewPredictionCreateSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { addReviewPrediction } from '../../services/moderation.service.ts';
import { jsonBody, parseWith } from './review.params.ts';

/** `POST /v1/review/pages/{page_id}/predictions`: adds a moderator box (201 with the box). */
export function predictionCreateHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const who = principalOf(res.locals);
    const { page_id } = parseWith(reviewPageParamsSchema, req.params, 'path');
    const body = parseWith(reviewPredictionCreateSchema, jsonBody(req, 'xmin, ymin, xmax, ymax and ocr_text'), 'body');
    res.status(201).json(await addReviewPrediction(deps, who, page_id, body));
  };
}
