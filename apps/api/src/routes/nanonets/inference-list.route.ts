import type { Request, Response } from 'express';
import { nanonetsDayWindowQuerySchema, nanonetsDayWindowResult, nanonetsModelParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { inferenceDayWindow } from '../../services/nanonets-inference.service.ts';
import { parseWith } from './nanonets.params.ts';

/**
 * Most pages one day-window answer holds. Nanonets has no pagination here; past this the answer
 * says `truncated: true` and the caller narrows the window.
 */
export const DAY_WINDOW_MAX_PAGES = 5_000;

/**
 * `GET /Inferences/Model/{model_id}/InferenceRequest/?start_day_interval=&current_batch_day=`:
 * the model's pages of the inclusive day window (`nanonetsDayWindow`), oldest first, bucketed
 * into moderated (approved) and unmoderated pages, with counts and signed URLs.
 */
export function inferenceListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response) => {
    const { orgId } = principalOf(res.locals);
    const { model_id } = parseWith(nanonetsModelParamsSchema, req.params);
    const query = parseWith(nanonetsDayWindowQuerySchema, req.query);
    const { items, truncated, fromDay, toDay } = await inferenceDayWindow(deps, {
      orgId,
      modelId: model_id,
      startDayInterval: query.start_day_interval,
      currentBatchDay: query.current_batch_day,
      limit: DAY_WINDOW_MAX_PAGES,
    });
    res.json({
      ...nanonetsDayWindowResult(items),
      start_day: fromDay,
      end_day: toDay,
      ...(truncated ? { truncated: true } : {}),
    });
  };
}
