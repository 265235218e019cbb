import { limitsFromConfig } from '@folio/documents';
import { createWorker, type FolioWorker, type JobProcessor, type QueueName } from '@folio/queue';
import type { MetricStage } from '@folio/services';
import { createDocumentCache } from '../services/document-cache.ts';
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
    onError: (err: Error) => logger.error({ err }, 'worker error') };
  const documents = createDocumentCache(deps.storage, limitsFromConfig(config));
  const workers: Array<FolioWorker<QueueName>> = [];
  const serve = (name: QueueName) => queues.includes(name);

  if (serve('ingest')) workers.push(createWorker('ingest', timed(deps, 'ingest', ingestProcessor(deps)), { ...base, concurrency: config.INGEST_CONCURRENCY }) as FolioWorker<QueueName>);
  if (serve('render')) workers.push(createWorker('render', timed(deps, 'render', renderProcessor(deps, documents)), { ...base, concurrency: config.RENDER_CONCURRENCY }) as FolioWorker<QueueName>);
  if (serve('recognize')) {
    // Load the models before taking the first job: readiness means "a recognize worker can run now".
    await deps.engine();
    workers.push(createWorker('recognize', recognizeProcessor(deps), { ...base, concurrency: Math.max(config.RECOGNIZE_CONCURRENCY, config.OCR_ENGINE_WORKERS) }) as FolioWorker<QueueName>);
  }
  if (serve('finalize')) workers.push(createWorker('finalize', timed(deps, 'finalize', finalizeProcessor(deps)), { ...base, concurrency: 4 }) as FolioWorker<QueueName>);
  if (serve('maintenance')) {
    workers.push(createWorker('maintenance', maintenanceProcessor(deps), { ...base, concurrency: 1 }) as FolioWorker<QueueName>);
  }
  if (serve('webhook')) workers.push(createWorker('webhook', webhookProcessor(deps), { ...base, concurrency: 8 }) as FolioWorker<QueueName>);
  // Schedules live in Redis; re-asserting them on a local timer brings them back after Redis
  // lost its data, so the reconciler that rebuilds the queues from Postgres keeps running.
  const schedule = async () => {
    await deps.queues.schedule('reconcile', config.RECONCILE_INTERVAL_MS);
    await deps.queues.schedule('reap', 60 * 60 * 1000);
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
  return { workers, stop: () => clearInterval(keeper) };
}
