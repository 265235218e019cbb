import { limitsFromConfig } from '@folio/documents';
import { createWorker, type FolioWorker, type JobProcessor, type QueueName } from '@folio/queue';
import type { MetricStage } from '@folio/services';
import { createRenderPool } from '../render/render.pool.ts';
import { isOutage } from '../services/outage.ts';
import { recognizeConcurrency, renderAheadPages } from '../services/recognize-capacity.ts';
import { createRenderAhead } from '../services/render-ahead.ts';
import type { WorkerDeps } from '../worker.deps.ts';
import { finalizeProcessor } from './finalize.processor.ts';
import { ingestProcessor } from './ingest.processor.ts';
import { maintenanceProcessor } from './maintenance.processor.ts';
import { recognizeProcessor } from './recognize.processor.ts';
import { renderProcessor } from './render.processor.ts';
import { webhookProcessor } from './webhook.processor.ts';

/** Starts a BullMQ worker for each queue this process serves; the one place processors are registered. */
export interface RegisteredProcessors {
  workers: Array<FolioWorker<QueueName>>;
  /** Stops the schedule keeper (workers are closed by the runtime). */
  stop(): void;
  /** Releases what the processors hold (render threads); call after the workers closed. */
  release(): Promise<void>;
}

/** Times every job of a stage into `folio_stage_duration_seconds`. */
function timed<N extends QueueName>(deps: WorkerDeps, stage: MetricStage, processor: JobProcessor<N>): JobProcessor<N> {
  return (data, ctx) => deps.metrics.timeStage(stage, () => processor(data, ctx));
}

export async function registerProcessors(deps: WorkerDeps, queues: readonly QueueName[]): Promise<RegisteredProcessors> {
  const { config, logger } = deps;
  const base = {
    connection: deps.redis,
    prefix: config.QUEUE_PREFIX,
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.STALLED_CHECK_MS,
    onError: (err: Error) => logger.error({ err }, 'worker error'),
    // A database or S3 outage puts jobs back without using their attempts (maintenance excepted:
    // it runs again on its own schedule).
    isTransient: isOutage,
    transientDelayMs: Math.max(100, config.JOB_BACKOFF_MS),
    // One warning when an outage begins, then quiet: every job of the worker hits the same wall.
    onTransient: (err: unknown, job: { queueName: string; id?: string | undefined }, info: { delayMs: number; outageMs: number }) =>
      logger[info.outageMs === 0 ? 'warn' : 'debug'](
        { queue: job.queueName, jobId: job.id, ...info, reason: err instanceof Error ? err.message : String(err) },
        'dependency unavailable; jobs wait for it',
      ),
  };
  // Pages render in threads with a deadline, so a page built to render forever cannot wedge the worker.
  const renderer = createRenderPool({
    threads: config.RENDER_CONCURRENCY,
    timeoutMs: config.RENDER_TIMEOUT_MS,
    limits: limitsFromConfig(config),
    load: (key) => deps.storage.getBuffer(key),
    compressionLevel: config.RENDER_PNG_COMPRESSION,
  });
  const workers: Array<FolioWorker<QueueName>> = [];
  const serve = (name: QueueName) => queues.includes(name);

  if (serve('ingest')) workers.push(createWorker('ingest', timed(deps, 'ingest', ingestProcessor(deps)), { ...base, concurrency: config.INGEST_CONCURRENCY }) as FolioWorker<QueueName>);
  const ahead = createRenderAhead(deps, renderAheadPages(config));
  if (serve('render')) {
    const render = createWorker('render', timed(deps, 'render', renderProcessor(deps, renderer, ahead)), { ...base, concurrency: config.RENDER_CONCURRENCY });
    ahead.attach(render);
    workers.push(render as FolioWorker<QueueName>);
  }
  if (serve('recognize')) {
    // Load the models before taking the first job: readiness means "a recognize worker can run now".
    await deps.engine();
    workers.push(createWorker('recognize', recognizeProcessor(deps), { ...base, concurrency: recognizeConcurrency(config) }) as FolioWorker<QueueName>);
  }
  if (serve('finalize')) workers.push(createWorker('finalize', timed(deps, 'finalize', finalizeProcessor(deps)), { ...base, concurrency: 4 }) as FolioWorker<QueueName>);
  if (serve('maintenance')) {
    workers.push(createWorker('maintenance', maintenanceProcessor(deps), { ...base, isTransient: () => false, concurrency: 1 }) as FolioWorker<QueueName>);
  }
  if (serve('webhook')) workers.push(createWorker('webhook', webhookProcessor(deps), { ...base, concurrency: 8 }) as FolioWorker<QueueName>);
  // Schedules live in Redis; re-asserting them on a local timer brings them back after Redis
  // lost its data, so the reconciler that rebuilds the queues from Postgres keeps running.
  const schedule = async () => {
    await deps.queues.schedule('reconcile', config.RECONCILE_INTERVAL_MS);
    await deps.queues.schedule('reap', config.REAP_INTERVAL_MS);
  };
  let keeper: NodeJS.Timeout | undefined;
  if (serve('maintenance')) {
    await schedule();
    keeper = setInterval(() => schedule().catch((err: unknown) => logger.warn({ err }, 'could not renew schedules')), config.RECONCILE_INTERVAL_MS);
    keeper.unref();
  }
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
      clearInterval(keeper);
      ahead.stop();
    },
    release: () => renderer.close(),
  };
}
