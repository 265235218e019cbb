import type { Request, Response } from 'express';
import { nanonetsDayWindow, nanonetsDayWindowQuerySchema, nanonetsDayWindowResult, nanonetsModelParamsSchema } from '@folio/contracts';
import type { ApiDeps } from '../../api.deps.ts';
import { principalOf } from '../../auth/auth.middleware.ts';
import { errors } from '../../errors/app-error.ts';
import { dayWindowItems } from '../../services/nanonets-view.service.ts';
import { parseWith, requireModel } from './nanonets.params.ts';

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
    await requireModel(deps, model_id, orgId);
    const window = nanonetsDayWindow(query.start_day_interval, query.current_batch_day);
    if (!window.ok) throw errors.badRequest(window.message, 'invalid_day_window');
    const { items, truncated } = await dayWindowItems(deps, { modelId: model_id, orgId, fromDay: window.fromDay, toDay: window.toDay, limit: DAY_WINDOW_MAX_PAGES });
    res.json({
      ...nanonetsDayWindowResult(items),
      start_day: window.fromDay,
      end_day: window.toDay,
      ...(truncated ? { truncated: true } : {}),
    });
  };
}
