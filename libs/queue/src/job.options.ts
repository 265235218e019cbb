import type { JobsOptions } from 'bullmq';
import type { QueueName } from './queue.names.ts';

/**
 * Priorities for `enqueue`. BullMQ: lower number = served first, 1 is the highest.
 * Every Folio job carries a priority because BullMQ serves jobs WITHOUT one before all
 * prioritized jobs: a single unprioritized job would jump ahead of sync requests.
 */
export const JOB_PRIORITY = {
  /** Sync API requests: a client holds a connection open waiting. */
  high: 1,
  /** Async uploads. */
  normal: 100,
  /** Bulk and re-processing work. */
  low: 1_000,
} as const;

/** BullMQ's largest priority value (2^21). */
export const MAX_PRIORITY = 2 ** 21;

/** Retry and retention settings applied to every job. */
export interface JobDefaults {
  /** Attempts per job including the first (config `JOB_ATTEMPTS`). @defaultValue 3 */
  attempts?: number;
  /** First retry delay, doubled each attempt (config `JOB_BACKOFF_MS`). @defaultValue 2_000 ms */
  backoffMs?: number;
  /** Completed jobs kept at most this long, seconds. @defaultValue 3_600 */
  keepCompletedSeconds?: number;
  /** Completed jobs kept at most this many per queue. @defaultValue 1_000 */
  keepCompletedCount?: number;
  /** Failed jobs kept at most this long, seconds. @defaultValue 7 days */
  keepFailedSeconds?: number;
  /** Failed jobs kept at most this many per queue. @defaultValue 5_000 */
  keepFailedCount?: number;
}

/** BullMQ default job options for one queue. */
export function defaultJobOptions(name: QueueName, d: JobDefaults = {}): JobsOptions {
  const backoffMs = d.backoffMs ?? 2_000;
  return {
    // Maintenance runs again on its own schedule; retrying a failed sweep only piles up.
    attempts: name === 'maintenance' ? 1 : (d.attempts ?? 3),
    // Jitter spreads retries of pages that failed together (e.g. S3 blip) over time.
    backoff: { type: 'exponential', delay: backoffMs, jitter: 0.2 },
    priority: JOB_PRIORITY.normal,
    removeOnComplete: { age: d.keepCompletedSeconds ?? 3_600, count: name === 'maintenance' ? 50 : (d.keepCompletedCount ?? 1_000) },
    removeOnFail: { age: d.keepFailedSeconds ?? 7 * 24 * 3_600, count: name === 'maintenance' ? 100 : (d.keepFailedCount ?? 5_000) },
  };
}
