import { createWorker, JOBS, QUEUE_NAMES, type FolioWorker, type JobProcessor, type JobStage, type QueueName, type WorkerOptions } from '@folio/queue';
import { PROCESSORS } from './processors/index.ts';
import { isOutage } from './services/outage.ts';
import type { WorkerDeps } from './worker.deps.ts';

/** The workers this process runs, and what their processors hold. */
export interface RegisteredProcessors {
  workers: Array<FolioWorker<QueueName>>;
  /** Stops the processors' timers (schedule keeper, render-ahead); the runtime closes the workers. */
  stop(): void;
  /** Releases what the processors hold (render threads); call after the workers closed. */
  release(): Promise<void>;
}

/** Times every job of a stage into `folio_stage_duration_seconds`. */
function timed<N extends QueueName>(deps: WorkerDeps, stage: JobStage, processor: JobProcessor<N>): JobProcessor<N> {
  return (data, ctx) => deps.metrics.timeStage(stage, () => processor(data, ctx));
}

/**
 * Starts a BullMQ worker for each of `queues`, in the order of `JOBS`, from the queue's definition
 * (concurrency, stage timing, outage handling) and its processor in `PROCESSORS`.
 */
export async function registerProcessors(deps: WorkerDeps, queues: readonly QueueName[]): Promise<RegisteredProcessors> {
  const { config, logger } = deps;
  const base: Omit<WorkerOptions, 'concurrency'> = {
    connection: deps.redis,
    prefix: config.QUEUE_PREFIX,
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.STALLED_CHECK_MS,
    onError: (err: Error) => logger.error({ err }, 'worker error'),
    transientDelayMs: Math.max(100, config.JOB_BACKOFF_MS),
    // One warning when an outage begins, then quiet: every job of the worker hits the same wall.
    onTransient: (err, job, info) =>
      logger[info.outageMs === 0 ? 'warn' : 'debug'](
        { queue: job.queueName, jobId: job.id, ...info, reason: err instanceof Error ? err.message : String(err) },
        'dependency unavailable; jobs wait for it',
      ),
  };
  const stops: Array<() => void> = [];
  const releases: Array<() => Promise<void>> = [];
  const workers: Array<FolioWorker<QueueName>> = [];

  async function start<N extends QueueName>(name: N): Promise<void> {
    const job = JOBS[name];
    const handler = await PROCESSORS[name](deps);
    if (handler.stop) stops.push(() => handler.stop?.());
    if (handler.release) releases.push(async () => handler.release?.());
    const processor = job.stage ? timed(deps, job.stage, handler.processor) : handler.processor;
    const worker = createWorker(name, processor, {
      ...base,
      concurrency: job.concurrency(config),
      // A database or S3 outage puts jobs back without using their attempts, where the job says so.
      ...(job.waitsOutOutages ? { isTransient: isOutage } : {}),
    });
    workers.push(worker as unknown as FolioWorker<QueueName>);
    await handler.started?.(worker);
  }

  for (const name of QUEUE_NAMES) if (queues.includes(name)) await start(name);
  for (const w of workers) {
    w.worker.on('failed', (job, err) => {
      deps.metrics.jobs.inc({ queue: w.name, outcome: 'failed' });
      logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed');
    });
    w.worker.on('completed', () => deps.metrics.jobs.inc({ queue: w.name, outcome: 'completed' }));
  }
  return {
    workers,
    stop: () => {
      for (const stop of stops) stop();
    },
    release: async () => {
      await Promise.all(releases.map((release) => release()));
    },
  };
}
