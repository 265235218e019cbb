import type { Config } from '@folio/config';
import { createBatchingEngine, createEnginePool, createNoopEngine, createOcrEngine, engineOptionsFromConfig, withUsableProviders, type OcrEngine } from '@folio/ocr';
import { isQueueName, QUEUE_NAMES, type QueueName } from '@folio/queue';
import { connectServices, createMetrics, startMetricsServer, type FolioMetrics, type MetricsServer } from '@folio/services';
import type { Logger } from 'pino';
import { registerProcessors, type RegisteredProcessors } from './worker.registration.ts';
import type { WorkerDeps } from './worker.deps.ts';

export interface WorkerRuntime {
  queues: readonly QueueName[];
  /** `http://host:port` of the metrics and health server; absent when `METRICS_PORT` is 0. */
  metricsUrl?: string;
  /** Stops taking jobs, lets active ones finish (bounded), then disconnects. */
  close(): Promise<void>;
}

function loadEngine(config: Config, logger: Logger): () => Promise<OcrEngine> {
  let engine: Promise<OcrEngine> | undefined;
  return () =>
    (engine ??= (async () => {
      if (config.OCR_ENGINE === 'noop') {
        logger.warn('OCR_ENGINE=noop: every page reads as the one word "noop" (benchmarks and pipeline tests only)');
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

/** PING with a 2 s bound: commands queue while Redis is away, and a probe must not hang on them. */
async function redisAnswers(redis: WorkerDeps['redis']): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), 2_000);
  });
  const answer = await Promise.race([redis.ping().then((r) => r === 'PONG', () => false), timeout]);
  clearTimeout(timer);
  return answer;
}

export interface WorkerRuntimeOptions {
  /** The process's metrics, when another part of it (the API under `npm start`) already made them. */
  metrics?: FolioMetrics;
}

/**
 * Connects to the services and runs the processors of `WORKER_QUEUES`. With `METRICS_PORT` set
 * it first opens its metrics and health server, so liveness answers while the models load.
 */
export async function startWorkerRuntime(config: Config, logger: Logger, options: WorkerRuntimeOptions = {}): Promise<WorkerRuntime> {
  const named = config.WORKER_QUEUES ?? QUEUE_NAMES;
  const queues = named.filter(isQueueName);
  const unknown = named.filter((q) => !isQueueName(q));
  if (unknown.length > 0) throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(', ')}`);
  const services = connectServices(config, 'worker');
  const engine = loadEngine(config, logger);
  const metrics = options.metrics ?? createMetrics();
  const unobserve = metrics.observeQueues(() => services.queues.counts());
  let started = false;
  let server: MetricsServer | undefined;
  let registered: RegisteredProcessors;
  try {
    if (config.METRICS_PORT > 0) {
      server = await startMetricsServer({
        metrics,
        port: config.METRICS_PORT,
        host: config.HOST,
        token: config.METRICS_TOKEN,
        ready: async () => started && (await redisAnswers(services.redis)),
      });
      logger.info({ url: server.url }, 'worker metrics listening');
    }
    const deps: WorkerDeps = { ...services, config, logger, engine, metrics };
    registered = await registerProcessors(deps, queues);
  } catch (err) {
    unobserve();
    await server?.close();
    await services.close();
    throw err;
  }
  const { workers, stop, release } = registered;
  started = true;
  logger.info({ queues }, 'worker started');
  let closing: Promise<void> | undefined;
  return {
    queues,
    ...(server ? { metricsUrl: server.url } : {}),
    close: () =>
      (closing ??= (async () => {
        started = false;
        stop();
        unobserve();
        await Promise.all(workers.map((w) => w.close({ timeoutMs: 30_000 })));
        await release();
        if (queues.includes('recognize')) await (await engine()).close();
        await server?.close();
        await services.close();
      })()),
  };
}
