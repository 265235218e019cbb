import type { Config } from '@folio/config';
import type { JobsOptions } from 'bullmq';
import type { JobDefaults } from './job.definition.ts';
import { JOBS } from './job.table.ts';
import { QUEUE_NAMES, type QueueName } from './queue.names.ts';

export type { JobDefaults };

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

/**
 * BullMQ default job options for one queue: `shared` (the settings of every queue with the
 * queue's own from config over them), then what its definition fixes (maintenance: 1 attempt,
 * short retention).
 */
export function defaultJobOptions(name: QueueName, shared: JobDefaults = {}): JobsOptions {
  const d: JobDefaults = { ...shared, ...JOBS[name].fixed };
  return {
    attempts: d.attempts ?? 3,
    // Jitter spreads retries of pages that failed together (e.g. S3 blip) over time.
    backoff: { type: 'exponential', delay: d.backoffMs ?? 2_000, jitter: 0.2 },
    priority: JOB_PRIORITY.normal,
    removeOnComplete: { age: d.keepCompletedSeconds ?? 3_600, count: d.keepCompletedCount ?? 1_000 },
    removeOnFail: { age: d.keepFailedSeconds ?? 7 * 24 * 3_600, count: d.keepFailedCount ?? 5_000 },
  };
}

/** Shared retry settings and each queue's own, as config sets them (for `createQueues`). */
export interface ConfiguredJobDefaults extends JobDefaults {
  perQueue: Partial<Record<QueueName, JobDefaults>>;
}

/**
 * `JOB_ATTEMPTS` and `JOB_BACKOFF_MS` for every queue, over which each definition's `retry`
 * (webhook: `WEBHOOK_ATTEMPTS`, `WEBHOOK_BACKOFF_MS`).
 */
export function jobDefaultsFromConfig(config: Config): ConfiguredJobDefaults {
  const perQueue: Partial<Record<QueueName, JobDefaults>> = {};
  for (const name of QUEUE_NAMES) {
    const retry = JOBS[name].retry?.(config);
    if (retry) perQueue[name] = retry;
  }
  return { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS, perQueue };
}

/** Attempts a job of `name` gets under `config`, the first included. */
export function jobAttempts(name: QueueName, config: Config): number {
  return JOBS[name].fixed?.attempts ?? JOBS[name].retry?.(config).attempts ?? config.JOB_ATTEMPTS;
}
