import { pageFailureMessage } from '@folio/contracts';
import { UnrecoverableError, type JobContext } from '@folio/queue';
import { failureReason } from '@folio/services';
import { failureOf } from './failure.mapping.ts';
import { isOutage } from './outage.ts';
import { pageSettled } from './page-flow.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** True when BullMQ will not try this job again after the current attempt fails. */
export function isLastAttempt(job: { attemptsMade: number; opts: { attempts?: number } }, err?: unknown): boolean {
  if (err instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs one page stage. When it fails for good (permanent error or last attempt) only this
 * page is marked FAILED with the reason, and the file moves on; otherwise the error goes back
 * to BullMQ for a retry with backoff.
 */
export async function runPageStage<N extends 'render' | 'recognize'>(
  deps: WorkerDeps,
  data: { pageId: string; fileId: string; orgId: string; requestId: string },
  ctx: JobContext<N>,
  stage: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await stage();
  } catch (err) {
    // An outage is no fault of the page: the worker puts the job back without using an attempt.
    if (isOutage(err) || !isLastAttempt(ctx.job, err)) throw err;
    const failure = failureOf(err, ctx.job.queueName === 'render' ? 'render' : 'recognize');
    const reason = pageFailureMessage(failure);
    deps.logger.warn({ pageId: data.pageId, fileId: data.fileId, reason }, 'page failed');
    if (await deps.db.pages.markFailed(data.pageId, failure)) {
      deps.metrics.failures.inc({ stage: ctx.job.queueName, reason: failureReason(failure.code) });
      await pageSettled(deps, { id: data.pageId, fileId: data.fileId, orgId: data.orgId, status: 'FAILED' }, {
        requestId: data.requestId,
        priority: ctx.job.opts.priority,
      });
    }
    throw err instanceof UnrecoverableError ? err : new UnrecoverableError(reason);
  }
}

/**
 * Counts one more attempt at a page in Postgres and says whether it is past `maxAttempts`.
 * Counted before the work, so a page that kills its worker outright (no catch ever runs) is
 * still given up after a bounded number of tries.
 */
export async function attemptsExhausted(deps: Pick<WorkerDeps, 'db'>, pageId: string, maxAttempts: number): Promise<boolean> {
  const attempts = await deps.db.pages.incrementAttempts(pageId);
  return attempts !== null && attempts > maxAttempts;
}

/**
 * Runs counted work; when it fails on an outage (database or S3 down) the attempt is given back,
 * best effort, since the page did nothing wrong.
 */
export async function uncountedOnOutage<T>(deps: Pick<WorkerDeps, 'db'>, pageId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isOutage(err)) await deps.db.pages.incrementAttempts(pageId, -1).catch(() => null);
    throw err;
  }
}
