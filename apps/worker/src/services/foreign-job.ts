import type { WorkerDeps } from '../worker.deps.ts';

/**
 * A job whose rows are in another database: another Folio instance shares this Redis and
 * QUEUE_PREFIX. Treated like an outage (see isOutage): the job goes back to the queue, delayed,
 * with no attempt used, so the instance that owns it takes it; this worker never consumes it.
 */
export class ForeignJobError extends Error {
  override readonly name = 'ForeignJobError';
}

/** Last error line per queue, so a shared queue is reported loudly but not once per job. */
const reported = new Map<string, number>();
const REPORT_EVERY_MS = 60_000;

/**
 * What a processor returns when the row its job names is gone: `{ skipped: reason }` when the
 * job's organization is in this database (the row was deleted: nothing to do). When the
 * organization is not here either, the job belongs to another instance: logs an error naming
 * the fix and throws {@link ForeignJobError}, leaving the job to its owner.
 */
export async function skipUnlessForeign(
  deps: Pick<WorkerDeps, 'db' | 'logger' | 'config'>,
  job: { queueName: string; id?: string | undefined },
  orgId: string,
  reason: string,
): Promise<{ skipped: string }> {
  if (await deps.db.organizations.findById(orgId)) return { skipped: reason };
  const now = Date.now();
  if (now - (reported.get(job.queueName) ?? 0) >= REPORT_EVERY_MS) {
    reported.set(job.queueName, now);
    deps.logger.error(
      { queue: job.queueName, jobId: job.id, orgId, queuePrefix: deps.config.QUEUE_PREFIX },
      `job of another Folio instance: neither its row nor its organization is in this database, so another instance shares this Redis and QUEUE_PREFIX "${deps.config.QUEUE_PREFIX}"; its jobs are left to it. Give each instance (each database) its own QUEUE_PREFIX`,
    );
  }
  throw new ForeignJobError(`job ${job.id ?? '?'} of queue ${job.queueName} belongs to another Folio instance (organization ${orgId} is not in this database)`);
}
