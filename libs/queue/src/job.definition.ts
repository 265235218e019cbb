import type { Config } from '@folio/config';
import type { z } from 'zod';

/**
 * Everything Folio knows about one kind of job, in one place: queues, workers, the reconciler and
 * the metrics are built from these (see `JOBS` in job.table.ts). The processor itself lives with
 * the worker (apps/worker/src/processors), named against this definition by the compiler.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType, Stage extends string = string> {
  /**
   * The job's data, checked on enqueue and again before the processor runs (a job that does not
   * parse fails at once). Jobs carry ids, never rows: processors reload from Postgres.
   */
  readonly schema: S;
  /**
   * The row the job is about. The job id is `<queue>-<rowId>`, so enqueuing the same row twice
   * adds one job; it must match `[A-Za-z0-9_-]{1,128}`.
   */
  rowId(data: z.infer<S>): string;
  /** Jobs of this queue one worker process runs at once. */
  concurrency(config: Config): number;
  /**
   * Attempts and first backoff read from config for this queue, over the shared `JOB_ATTEMPTS` and
   * `JOB_BACKOFF_MS`. @defaultValue the shared ones
   */
  retry?(config: Config): Pick<JobDefaults, 'attempts' | 'backoffMs'>;
  /** Retry and retention settings that hold whatever the config says. @defaultValue none */
  readonly fixed?: JobDefaults;
  /**
   * The `stage` label of `folio_stage_duration_seconds` each job's wall time is recorded under.
   * @defaultValue not timed per job (recognize reports the engine's own stages instead)
   */
  readonly stage?: Stage;
  /**
   * True: a job that meets a Postgres or S3 outage is put back, delayed, without using one of its
   * attempts (a restart must not fail work that is fine). False: the outage counts as a failure.
   */
  readonly waitsOutOutages: boolean;
}

/**
 * Declares one job. Only an identity function: it infers the data type from `schema`, so that
 * `rowId` is typed, and keeps the literal `stage` for the metric label type.
 */
export function defineJob<S extends z.ZodType, Stage extends string = never>(definition: JobDefinition<S, Stage>): JobDefinition<S, Stage> {
  return definition;
}

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
