import { pageFailureMessage, type Failure, type FailureStage, type UrlFailure } from '@folio/contracts';
import { isDocumentError } from '@folio/documents';
import { UnrecoverableError } from '@folio/queue';
import type { UrlFetchError } from '@folio/url-fetch';
import { RenderTimeoutError, RenderTooComplexError } from '../render/render.pool.ts';

/**
 * A permanent failure with its reason as data: BullMQ does not retry it (an UnrecoverableError),
 * and the stage that catches it stores `failure` as it is. The message (`code: sentence`) is for
 * BullMQ's failed-job list and logs only.
 */
export class FailureError extends UnrecoverableError {
  constructor(readonly failure: Failure) {
    super(`${failure.code}: ${pageFailureMessage(failure)}`);
    this.name = 'FailureError';
  }
}

/** A failed fetch of `url` as its catalogue entry (`url_<code>`). */
export function urlFailureOf(err: UrlFetchError, url: string): UrlFailure {
  return { code: `url_${err.code}`, url, detail: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
}

/**
 * What a stage stores for an error that failed a page for good: the facts of the errors Folio
 * raises itself (documents, render deadline), or the message of anything else as shown text.
 */
export function failureOf(err: unknown, stage: FailureStage): Failure {
  if (err instanceof FailureError) return { ...err.failure, stage };
  if (isDocumentError(err)) return { ...err.refusal, stage };
  if (err instanceof RenderTooComplexError) {
    const budget = err.budget && { name: err.budget.budget, limit: err.budget.limit, found: err.budget.found };
    return { code: 'too_complex', page: err.page, limitBytes: err.limitBytes, ...(budget ? { budget } : {}), stage };
  }
  if (err instanceof RenderTimeoutError) return { code: 'render_timeout', page: err.page, timeoutMs: err.timeoutMs, stage };
  return { code: 'processing_error', detail: err instanceof Error ? err.message : String(err), stage };
}
