import type { ContractError } from '../common/errors.ts';
import { failureMessage, type Failure } from '../failures/index.ts';
import type { NanonetsError } from './nanonets.schemas.ts';

/** `{ message, code, error, reason? }`: the sentence first, as in every Nanonets answer. */
export function nanonetsErrorBody(err: ContractError): NanonetsError {
  return {
    message: err.message,
    code: err.status,
    error: err.code,
    ...(err.reason ? { reason: err.reason } : {}),
  };
}

/**
 * The refusal of a sync request over the page limit, naming the async route to use instead.
 * `route` is `LabelFile` or `LabelUrls`.
 */
export function nanonetsSyncTooManyPagesMessage(input: {
  pageCount: number;
  maxPages: number;
  modelId: string;
  route: 'LabelFile' | 'LabelUrls';
}): string {
  const { pageCount, maxPages, modelId, route } = input;
  return (
    `This request has ${pageCount} pages; sync requests accept at most ${maxPages}. ` +
    `Send it to POST /api/v2/OCR/Model/${modelId}/${route}/Async/ (or add ?async=true) and poll ` +
    `GET /api/v2/Inferences/Model/${modelId}/InferenceRequest/{request_file_id}.`
  );
}

/**
 * A refused document's sentence in this dialect: the sync page limit names the async route to
 * use instead; everything else reads as the catalogue's English.
 */
export function nanonetsRefusalMessage(failure: Failure, request: { modelId: string; route: 'LabelFile' | 'LabelUrls' }): string {
  if (failure.code === 'sync_page_limit') return nanonetsSyncTooManyPagesMessage({ pageCount: failure.pageCount, maxPages: failure.maxPages, ...request });
  return failureMessage(failure);
}
