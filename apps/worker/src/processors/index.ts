import { limitsFromConfig } from '@folio/documents';
import { createWorker, type FolioWorker, type QueueName } from '@folio/queue';
import { createDocumentCache } from '../services/document-cache.ts';
import { recognizeConcurrency, renderAheadPages } from '../services/recognize-capacity.ts';
import { createRenderAhead } from '../services/render-ahead.ts';
import type { WorkerDeps } from '../worker.deps.ts';
import { finalizeProcessor } from './finalize.processor.ts';
import { ingestProcessor } from './ingest.processor.ts';
import { maintenanceProcessor } from './maintenance.processor.ts';
import { recognizeProcessor } from './recognize.processor.ts';
import { renderProcessor } from './render.processor.ts';

/** Starts a BullMQ worker for each queue this process serves; the one place processors are registered. */
export interface RegisteredProcessors {
  workers: Array<FolioWorker<QueueName>>;
  /** Stops the schedule keeper (workers are closed by the runtime). */
  stop(): void;
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

  if (serve('ingest')) workers.push(createWorker('ingest', ingestProcessor(deps), { ...base, concurrency: config.INGEST_CONCURRENCY }) as FolioWorker<QueueName>);
  const ahead = createRenderAhead(deps, renderAheadPages(config));
  if (serve('render')) {
    const render = createWorker('render', renderProcessor(deps, documents, ahead), { ...base, concurrency: config.RENDER_CONCURRENCY });
    ahead.attach(render);
    workers.push(render as FolioWorker<QueueName>);
  }
  if (serve('recognize')) {
    // Load the models before taking the first job: readiness means "a recognize worker can run now".
    await deps.engine();
    workers.push(createWorker('recognize', recognizeProcessor(deps), { ...base, concurrency: recognizeConcurrency(config) }) as FolioWorker<QueueName>);
  }
  if (serve('finalize')) workers.push(createWorker('finalize', finalizeProcessor(deps), { ...base, concurrency: 4 }) as FolioWorker<QueueName>);
  if (serve('maintenance')) {
    workers.push(createWorker('maintenance', maintenanceProcessor(deps), { ...base, concurrency: 1 }) as FolioWorker<QueueName>);
  }
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
    w.worker.on('failed', (job, err) => logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'));
  }
  return {
    workers,
    stop: () => {
      clearInterval(keeper);
      ahead.stop();
    },
  };
}
