import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FAILURE_CODES, type FailureCode } from '@folio/contracts';
import { JOB_STAGES, type JobStage, type QueueDepth, type QueueName } from '@folio/queue';

/**
 * The engine's own stages: `detect`, `direction`, `recognize` and `layout` are libs/ocr Stopwatch
 * laps summed per stage; `ocr` is the engine's total for a page.
 */
const ENGINE_STAGES = ['detect', 'direction', 'recognize', 'layout', 'ocr'] as const;

/**
 * Pipeline stages with a latency histogram: the wall time of the jobs whose definition names a
 * stage (`ingest`, `render`, `finalize`: libs/queue `JOBS`), and the engine's stages.
 */
export const METRIC_STAGES: ReadonlyArray<JobStage | (typeof ENGINE_STAGES)[number]> = [...JOB_STAGES, ...ENGINE_STAGES];
export type MetricStage = (typeof METRIC_STAGES)[number];

/**
 * Failure reasons that get their own label value: the codes of the failure catalogue
 * (libs/contracts), so a new code is counted under its name; anything else is counted as
 * `other`, so a surprising error can never grow the number of series.
 */
export const FAILURE_REASONS = [...FAILURE_CODES.filter((c) => c !== 'legacy'), 'other'] as const;
export type FailureReason = Exclude<FailureCode, 'legacy'> | 'other';

const KNOWN_REASONS: ReadonlySet<string> = new Set(FAILURE_REASONS);

/**
 * The bounded reason label of a failure code (what Folio's stages pass) or of an error: its
 * `code` property, or a `code:` its message starts with (BullMQ's failed-job text, for callers
 * that only hold that), when that code is one of {@link FAILURE_REASONS}; else `other`.
 */
export function failureReason(errOrCode: unknown): FailureReason {
  const candidates: string[] = [];
  if (typeof errOrCode === 'string') candidates.push(errOrCode);
  else if (errOrCode instanceof Error) {
    const code = (errOrCode as { code?: unknown }).code;
    if (typeof code === 'string') candidates.push(code);
    // "render failed: corrupt: ..." (runPageStage) or "corrupt: ..." (render) or "invalid render job data: ..."
    for (const m of errOrCode.message.matchAll(/(?:^|: )([a-z_]{3,40}): /g)) candidates.push(m[1] as string);
    if (/^invalid \w+ job data/.test(errOrCode.message)) candidates.push('invalid_job_data');
  }
  const hit = candidates.find((c) => KNOWN_REASONS.has(c));
  return (hit as FailureReason | undefined) ?? 'other';
}

/** Maps libs/ocr timing laps (`detPre`, `recModel`, ...) onto the stage they belong to. */
const ENGINE_LAPS: Record<string, MetricStage> = {
  detPre: 'detect',
  detModel: 'detect',
  detPost: 'detect',
  direction: 'direction',
  recPre: 'recognize',
  recModel: 'recognize',
  recPost: 'recognize',
  layout: 'layout',
  total: 'ocr',
};

/** Source of queue depths read at scrape time (`Queues.counts`). */
export type QueueDepthSource = () => Promise<Partial<Record<QueueName, QueueDepth>>>;

const DEPTH_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** How long a scrape waits for Redis before leaving the queue gauges out, ms. */
const DEPTH_TIMEOUT_MS = 2_000;

/**
 * Every metric a Folio process exports, on its own registry. One per process: `npm start` runs
 * the API and the workers in one process and hands both the same instance, so the API's
 * `/metrics` shows the workers' counters too.
 */
export interface FolioMetrics {
  /** Folio's own metrics (the process defaults are added by `render`). */
  readonly registry: Registry;
  /** Pages that reached a final status; `rate(folio_pages_processed_total[1m])` is pages per second. */
  readonly pagesProcessed: Counter<'status'>;
  /** Seconds per pipeline stage, see {@link METRIC_STAGES}. */
  readonly stageSeconds: Histogram<'stage'>;
  /** Pages or files given up on, by stage and bounded reason ({@link failureReason}). */
  readonly failures: Counter<'stage' | 'reason'>;
  /** Finished BullMQ job attempts by queue and outcome (`completed`, `failed`). */
  readonly jobs: Counter<'queue' | 'outcome'>;
  /** HTTP requests by method, route pattern and status. */
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Records the engine timings (ms, by lap) of one recognized page. */
  observeEngineTimings(timings: Record<string, number> | undefined): void;
  /** Times `run` into the `stage` histogram (also when it throws). */
  timeStage<T>(stage: MetricStage, run: () => Promise<T>): Promise<T>;
  /**
   * Reads queue depths from `source` at each scrape (`folio_queue_jobs`). Several sources may be
   * registered (API and worker of one process); the first still registered answers.
   * @returns unregisters the source (call it before closing the queues).
   */
  observeQueues(source: QueueDepthSource): () => void;
  /** The Prometheus text exposition of Folio's metrics and the process defaults. */
  render(): Promise<{ contentType: string; body: string }>;
}

let processRegistry: Registry | undefined;

/**
 * Node's default metrics (RSS, CPU, heap, event-loop lag, GC) describe the process, not a runtime,
 * so they live on one registry per process, however many `createMetrics` calls (tests start many
 * runtimes in one process; each collector set installs its own GC observer).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Builds the registry with every Folio metric; `render` adds Node's default process metrics.
 * Engines run in worker_threads of the recognize process, so process RSS includes them.
 */
export function createMetrics(): FolioMetrics {
  const registry = new Registry();
  const sources: QueueDepthSource[] = [];

  const pagesProcessed = new Counter({
    name: 'folio_pages_processed_total',
    help: 'Pages that reached a final status (done or failed).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const stageSeconds = new Histogram({
    name: 'folio_stage_duration_seconds',
    help: 'Time spent per pipeline stage, per page (ingest and finalize: per file).',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'folio_failures_total',
    help: 'Pages (render, recognize) or files (ingest) given up on, by stage and reason.',
    labelNames: ['stage', 'reason'] as const,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'folio_jobs_total',
    help: 'BullMQ job attempts finished by this process, by queue and outcome (a failed attempt may be retried).',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const httpSeconds = new Histogram({
    name: 'folio_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'folio_queue_jobs',
    help: 'Jobs per queue and state, read from BullMQ at scrape time (waiting + prioritized = backlog).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const source = sources[0];
      if (!source) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), DEPTH_TIMEOUT_MS);
      });
      // Redis away: leave the gauges out of this scrape rather than hang it or report stale depths.
      const depths = await Promise.race([source().catch(() => null), timeout]);
      clearTimeout(timer);
      if (!depths) return;
      for (const [queue, depth] of Object.entries(depths)) {
        for (const state of DEPTH_STATES) this.set({ queue, state }, depth[state]);
      }
    },
  });

  return {
    registry,
    pagesProcessed,
    stageSeconds,
    failures,
    jobs,
    httpSeconds,
    observeEngineTimings(timings) {
      if (!timings) return;
      const perStage = new Map<MetricStage, number>();
      for (const [lap, ms] of Object.entries(timings)) {
        const stage = ENGINE_LAPS[lap];
        if (stage && Number.isFinite(ms)) perStage.set(stage, (perStage.get(stage) ?? 0) + ms);
      }
      for (const [stage, ms] of perStage) stageSeconds.observe({ stage }, ms / 1000);
    },
    async timeStage(stage, run) {
      const end = stageSeconds.startTimer({ stage });
      try {
        return await run();
      } finally {
        end();
      }
    },
    observeQueues(source) {
      sources.push(source);
      return () => {
        const i = sources.indexOf(source);
        if (i !== -1) sources.splice(i, 1);
      };
    },
    async render() {
      const parts = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: parts.map((p) => p.trimEnd()).join('\n') + '\n' };
    },
  };
}
