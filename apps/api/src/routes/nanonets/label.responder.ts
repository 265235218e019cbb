import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { nanonetsAsyncAccepted, nanonetsPredictionResponse, nanonetsSyncTooManyPagesMessage } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { SYNC_PAGE_LIMIT } from '../../errors/domain-errors.ts';
import { awaitCompletion, isFinal, isShuttingDown, submitFiles } from '../../services/intake.service.ts';
import { fileSummary, fileView } from '../../services/nanonets-view.service.ts';

export interface LabelRequest {
  /** Files of the request, already stored or recorded (QUEUED). */
  files: FileRow[];
  sync: boolean;
  modelId: string;
  /** Names the async route in the sync page-limit refusal. */
  route: 'LabelFile' | 'LabelUrls';
}

/** Ingest refused a sync document for its length: say which async route takes it. */
function namingAsyncRoute(err: unknown, deps: ApiDeps, input: Pick<LabelRequest, 'modelId' | 'route'>): unknown {
  if (!isAppError(err) || err.reason !== SYNC_PAGE_LIMIT) return err;
  const count = /has (\d+) pages/.exec(err.message)?.[1];
  if (count === undefined) return err;
  const message = nanonetsSyncTooManyPagesMessage({ pageCount: Number(count), maxPages: deps.config.SYNC_MAX_PAGES, ...input });
  const prefix = /^"[^"]*": /.exec(err.message)?.[0] ?? '';
  return new AppError(err.code, `${prefix}${message}`, { reason: SYNC_PAGE_LIMIT, cause: err });
}

/**
 * What LabelFile and LabelUrls share once their inputs are stored: ingest every file (a refused
 * document fails the whole request with its 4xx and removes all files), then either answer the
 * `request_file_id`s to poll (async) or wait up to SYNC_TIMEOUT_MS for the predictions (sync).
 * A sync request that outlives its wait answers 202 with the ids to poll.
 */
export async function answerLabelRequest(deps: ApiDeps, res: Response, request: LabelRequest): Promise<void> {
  const requestId = String(res.locals.requestId ?? randomUUID());
  let submitted: FileRow[];
  try {
    submitted = await submitFiles(deps, request.files, requestId);
  } catch (err) {
    throw namingAsyncRoute(err, deps, request);
  }
  if (!request.sync) {
    res.json(nanonetsAsyncAccepted(await Promise.all(submitted.map((f) => fileSummary(deps, f)))));
    return;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const finished = await awaitCompletion(deps, submitted, deps.config.SYNC_TIMEOUT_MS, abort.signal);
  if (finished.every(isFinal)) {
    res.json(nanonetsPredictionResponse(await Promise.all(finished.map((f) => fileView(deps, f)))));
    return;
  }
  const seconds = Math.round(deps.config.SYNC_TIMEOUT_MS / 1000);
  const why = isShuttingDown(deps) ? 'the server is restarting and the result was not ready yet' : `the result was not ready within ${seconds} s`;
  res.status(202).json(
    nanonetsAsyncAccepted(
      await Promise.all(finished.map((f) => fileSummary(deps, f))),
      `Pending: ${why}; poll GET /api/v2/Inferences/Model/${request.modelId}/InferenceRequest/{request_file_id}.`,
    ),
  );
}
