import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, type JobData, type QueueName } from './job.table.ts';

/**
 * Thrown by a processor to put its job back for `delayMs` WITHOUT using an attempt: the job is
 * fine but must wait its turn (a fairness limit, a paused receiver), which is not a failure.
 */
export class JobDeferredError extends Error {
  override readonly name = 'JobDeferredError';

  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** What a processor gets besides the validated data. */
export interface JobContext<N extends QueueName> {
  /** The BullMQ job (`job.opts.priority` to pass a sync request's priority on, `attemptsMade`, `updateProgress`). */
  job: Job<JobData<N>, unknown, string>;
  /** Aborted when the worker is force-closed at shutdown; pass it to long-running work. */
  signal: AbortSignal | undefined;
}

/**
 * Handles one job. Throw to retry with backoff; throw `UnrecoverableError` for permanent input
 * errors (fails at once, no retries). Return value is stored as the job's result.
 */
export type JobProcessor<N extends QueueName> = (data: JobData<N>, ctx: JobContext<N>) => Promise<unknown>;

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** Shared connection; BullMQ duplicates it for the blocking fetch. */
  connection: Redis;
  /** Same prefix as the queues (config `QUEUE_PREFIX`). */
  prefix: string;
  /** Jobs processed at once by this worker. @defaultValue 1 */
  concurrency?: number;
  /**
   * Lock time per job, renewed every half; a job whose worker stops renewing is "stalled" and
   * handed to another worker. Keep it well above the longest event-loop block (page render).
   * @defaultValue 60_000 ms
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs. @defaultValue 30_000 ms */
  stalledIntervalMs?: number;
  /** Times a job may stall before it fails for good. @defaultValue 2 */
  maxStalledCount?: number;
  /** Start fetching at once. @defaultValue true */
  autorun?: boolean;
  /** Worker-level errors (Redis connection lost, lock renewal failed). @defaultValue console.error */
  onError?: (err: Error) => void;
  /**
   * Says an error is an outage of something the job needs (database or storage unreachable)
   * rather than a fault of the job. Such a job is put back, delayed, WITHOUT using one of its
   * attempts: a Postgres restart or an S3 blip must not fail pages that are fine.
   * @defaultValue never
   */
  isTransient?: (err: unknown) => boolean;
  /**
   * Delay before a job that hit an outage runs again: half the time the outage has lasted so
   * far (as this worker sees it: since its first outage error not followed by a success), at
   * least `transientDelayMs`, at most `transientMaxDelayMs`, plus up to 20% jitter.
   * @defaultValue 500 ms, at most 10_000 ms
   */
  transientDelayMs?: number;
  transientMaxDelayMs?: number;
  /** Called when a job is put back because of an outage; `outageMs` is 0 for the first one. */
  onTransient?: (err: unknown, job: Job, info: { delayMs: number; outageMs: number }) => void;
}

/** A running typed worker. */
export interface FolioWorker<N extends QueueName> {
  readonly name: N;
  /** The BullMQ worker (events: 'completed', 'failed', 'error', ...). */
  readonly worker: Worker<JobData<N>, unknown, string>;
  /**
   * Stops taking jobs and waits for active ones to finish. After `timeoutMs` (default 30_000 ms)
   * active jobs are told to abort through their signal and the worker closes without waiting.
   * Such a job comes back to another worker: as a retry (one attempt used) when its processor
   * rejects on the abort, or as stalled once its lock lapses when it ignores the signal.
   */
  close(opts?: { timeoutMs?: number }): Promise<void>;
}

/**
 * A BullMQ worker for queue `name` that validates job data with the queue's zod schema before
 * calling `processor`: data that does not parse fails at once with `UnrecoverableError`.
 */
export function createWorker<N extends QueueName>(name: N, processor: JobProcessor<N>, opts: WorkerOptions): FolioWorker<N> {
  const schema = JOBS[name].schema;
  const isTransient = opts.isTransient ?? (() => false);
  const baseDelay = opts.transientDelayMs ?? 500;
  const maxDelay = opts.transientMaxDelayMs ?? 10_000;
  // When this worker's current outage began (undefined after any success): while a dependency
  // is down every job hits it, so the delay grows with the outage, not with the number of jobs.
  let outageSince: number | undefined;
  const worker = new Worker<JobData<N>, unknown, string>(
    name,
    async (job, token, signal) => {
      const parsed = schema.safeParse(job.data);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new UnrecoverableError(`invalid ${name} job data: ${issues}`);
      }
      try {
        const result = await processor(parsed.data as JobData<N>, { job, signal });
        outageSince = undefined;
        return result;
      } catch (err) {
        if (err instanceof JobDeferredError && token !== undefined) {
          await job.moveToDelayed(Date.now() + err.delayMs, token);
          throw new DelayedError();
        }
        if (!isTransient(err) || token === undefined) throw err;
        const now = Date.now();
        outageSince ??= now;
        const outageMs = now - outageSince;
        const delay = Math.round(Math.min(maxDelay, Math.max(baseDelay, outageMs / 2)) * (1 + Math.random() * 0.2));
        opts.onTransient?.(err, job, { delayMs: delay, outageMs });
        // Back to the delayed set with attemptsMade unchanged; DelayedError tells BullMQ the
        // job was moved on purpose (it neither completes nor fails).
        await job.moveToDelayed(now + delay, token);
        throw new DelayedError();
      }
    },
    {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 1,
      lockDuration: opts.lockDurationMs ?? 60_000,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
      maxStalledCount: opts.maxStalledCount ?? 2,
      autorun: opts.autorun ?? true,
    },
  );
  // An 'error' event without a listener would crash the process (e.g. while Redis restarts).
  const onError = opts.onError ?? ((err: Error) => console.error(`[worker ${name}] ${err.message}`));
  worker.on('error', onError);

  let closing: Promise<void> | undefined;
  return {
    name,
    worker,
    close(o) {
      closing ??= (async () => {
        const graceful = worker.close();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), o?.timeoutMs ?? 30_000);
        });
        const outcome = await Promise.race([graceful.then(() => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          worker.cancelAllJobs('worker shutting down');
          await worker.close(true);
        }
      })();
      return closing;
    },
  };
}
