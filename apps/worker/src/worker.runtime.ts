import type { Config } from '@folio/config';
import { createBatchingEngine, createEnginePool, createNoopEngine, createOcrEngine, engineOptionsFromConfig, withUsableProviders, type OcrEngine } from '@folio/ocr';
import { isQueueName, type QueueName } from '@folio/queue';
import { connectServices } from '@folio/services';
import type { Logger } from 'pino';
import { registerProcessors } from './processors/index.ts';
import type { WorkerDeps } from './worker.deps.ts';

export interface WorkerRuntime {
  queues: readonly QueueName[];
  /** Stops taking jobs, lets active ones finish (bounded), then disconnects. */
  close(): Promise<void>;
}

function loadEngine(config: Config, logger: Logger): () => Promise<OcrEngine> {
  let engine: Promise<OcrEngine> | undefined;
  return () =>
    (engine ??= (async () => {
      if (config.OCR_ENGINE === 'noop') {
        logger.warn('OCR_ENGINE=noop: pages get empty results (control-plane benchmarks only)');
        return createNoopEngine();
      }
      const started = Date.now();
      // Providers that cannot load here are dropped once, with one warn line, before any engine opens.
      const options = await withUsableProviders(engineOptionsFromConfig(config), (m) => logger.warn(m));
      // Engines in worker threads: the pixel buffer is handed over, so the caller never reuses it.
      const e =
        config.OCR_ENGINE_WORKERS > 1
          ? await createEnginePool({ ...options, workers: config.OCR_ENGINE_WORKERS })
          : await createOcrEngine(options);
      logger.info(
        {
          ms: Date.now() - started,
          providers: options.executionProviders,
          engines: config.OCR_ENGINE_WORKERS,
          threads: config.OCR_THREADS,
          batchPages: config.RECOGNIZE_BATCH_PAGES,
        },
        'OCR engine loaded',
      );
      // Pages of concurrent recognize jobs share model runs; each job still gets its own page or error.
      return config.RECOGNIZE_BATCH_PAGES > 1 ? createBatchingEngine(e, { maxPages: config.RECOGNIZE_BATCH_PAGES, waitMs: config.RECOGNIZE_BATCH_WAIT_MS }) : e;
    })());
}

/** Connects to the services and runs the processors of `WORKER_QUEUES`. */
export async function startWorkerRuntime(config: Config, logger: Logger): Promise<WorkerRuntime> {
  const queues = config.WORKER_QUEUES.filter(isQueueName);
  const unknown = config.WORKER_QUEUES.filter((q) => !isQueueName(q));
  if (unknown.length > 0) throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(', ')}`);
  const services = connectServices(config, 'worker');
  const engine = loadEngine(config, logger);
  const deps: WorkerDeps = { ...services, config, logger, engine };
  const { workers, stop } = await registerProcessors(deps, queues);
  logger.info({ queues }, 'worker started');
  let closing: Promise<void> | undefined;
  return {
    queues,
    close: () =>
      (closing ??= (async () => {
        stop();
        await Promise.all(workers.map((w) => w.close({ timeoutMs: 30_000 })));
        if (queues.includes('recognize')) await (await engine()).close();
        await services.close();
      })()),
  };
}
