import { z } from 'zod';

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/**
 * Every setting Folio reads from the environment, with its default.
 * Parsed once at start (`loadConfig`) and passed down; nothing reads `process.env` elsewhere.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Data directory for embedded services (Postgres, S3). */
  FOLIO_HOME: z.string().default('./.folio'),
  /** Unset: `npm start` runs an embedded Postgres under FOLIO_HOME. */
  DATABASE_URL: z.string().optional(),
  /** Postgres connections each process may open (its pool). Size max_connections (or pgbouncer) for the sum over processes. */
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Milliseconds to wait for a pooled Postgres connection (a new one: no answer to the startup = a frozen server) before answering "unavailable". */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Milliseconds one query may wait for Postgres's answer before its connection is dropped and the
   * query fails as "unavailable" (503 on the API, a delayed retry without an attempt in workers).
   * A hung server or network otherwise holds a request for as long as the outage lasts.
   */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Unset: 127.0.0.1:6379, else a redis-server started by `npm start`. */
  REDIS_URL: z.string().optional(),
  /**
   * Milliseconds an API request's Redis command (enqueue, queue depth, event subscription) may
   * wait for an answer before failing as "unavailable" (503 + Retry-After); a command issued while
   * Redis is unreachable fails after one reconnect attempt. Workers wait out outages instead.
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * Key prefix for every BullMQ queue: processes on one database must share it, instances with
   * their own databases on one Redis must not. `npm start` (folio serve) derives one from its
   * database when unset; `npm run api|worker` use this default.
   */
  QUEUE_PREFIX: z.string().default('folio'),
  /** Unset: `npm start` runs an in-process S3 server under FOLIO_HOME. */
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().default('folio'),
  S3_ACCESS_KEY_ID: z.string().default('S3RVER'),
  S3_SECRET_ACCESS_KEY: z.string().default('S3RVER'),
  S3_FORCE_PATH_STYLE: bool.default(true),
  FOLIO_DEV_API_KEY: z.string().optional(),
  FOLIO_DEV_MODEL_ID: z.string().uuid().optional(),
  /** Public base URL used in links the API hands out. */
  PUBLIC_URL: z.string().optional(),
  /** Pages a sync request may carry. */
  SYNC_MAX_PAGES: z.coerce.number().int().positive().default(3),
  /** How long a sync request waits for its result before answering with the id to poll, ms. */
  SYNC_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Queued pages above which the API answers 429. */
  MAX_QUEUED_PAGES: z.coerce.number().int().positive().default(10_000),
  /**
   * Days an organization's files (originals, page images, results) are kept after upload,
   * unless the organization sets its own (`folio org retention`). The reaper removes them after.
   */
  FILE_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /** How often the reaper removes expired and deleted files, ms. */
  REAP_INTERVAL_MS: z.coerce.number().int().positive().default(60 * 60 * 1000),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  MAX_PAGES: z.coerce.number().int().positive().default(2000),
  /** Largest page, in pixels (width × height), after rendering or decoding. */
  MAX_PAGE_PIXELS: z.coerce.number().int().positive().default(100_000_000),
  RENDER_DPI: z.coerce.number().int().min(72).max(600).default(300),
  /**
   * `auto`: PDF pages whose text layer passes the trust checks are read from it (no OCR), pages
   * with images of text OCR only those; `off`: every page is OCR'd, as if each request said
   * `force_ocr`. Applies to files uploaded while it is set.
   */
  TEXT_LAYER: z.enum(['auto', 'off']).default('auto'),
  RENDER_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /**
   * A page not rendered within this time is abandoned (its render thread is terminated) and
   * the attempt fails; after JOB_ATTEMPTS the page is FAILED. Guards against PDF pages built
   * to render forever. ms.
   */
  RENDER_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Resident memory one render process may reach while rendering a page, MB (pdfjs and its
   * baseline included). Past it the process is killed and the page fails at once as `too_complex`.
   */
  RENDER_MEMORY_MB: z.coerce.number().int().min(128).default(1024),
  /** zlib level (0–9) of the page PNG render stores for recognize: written once, read once, so fast beats small. */
  RENDER_PNG_COMPRESSION: z.coerce.number().int().min(0).max(9).default(1),
  RECOGNIZE_CONCURRENCY: z.coerce.number().int().positive().default(1),
  /**
   * Pages a recognize worker hands its engine at once (detection per equal-size bucket, recognition
   * crops of all pages in shared runs); 1 = page by page. See README for the CPU measurement.
   */
  RECOGNIZE_BATCH_PAGES: z.coerce.number().int().positive().default(1),
  /**
   * Recognize jobs held beyond what the engines run, their pages fetched and decoded, so an engine
   * that finishes a page starts the next at once instead of idling through S3, decoding and the
   * database write. Unset: one per engine (OCR_ENGINE_WORKERS).
   */
  RECOGNIZE_PREFETCH_PAGES: z.coerce.number().int().nonnegative().optional(),
  /** How long the first page of a batch waits for others before the batch goes anyway, ms. */
  RECOGNIZE_BATCH_WAIT_MS: z.coerce.number().int().nonnegative().default(50),
  /**
   * Rendered pages allowed to wait for recognize (its waiting + prioritized jobs); render workers
   * stop taking jobs at this backlog and resume below it. Unset: 2 × this config's recognize
   * concurrency; 0: no bound. Size it for every recognize worker when several run.
   */
  RENDER_AHEAD_PAGES: z.coerce.number().int().nonnegative().optional(),
  INGEST_CONCURRENCY: z.coerce.number().int().positive().default(4),
  JOB_ATTEMPTS: z.coerce.number().int().positive().default(3),
  JOB_BACKOFF_MS: z.coerce.number().int().nonnegative().default(2_000),
  /** A job whose worker stops renewing its lock this long is handed to another worker, ms. */
  JOB_LOCK_MS: z.coerce.number().int().positive().default(60_000),
  /** How often workers look for jobs whose lock lapsed (their worker died), ms. */
  STALLED_CHECK_MS: z.coerce.number().int().positive().default(30_000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** A page RUNNING/QUEUED longer than this with no job is re-enqueued, ms. */
  RECONCILE_GRACE_MS: z.coerce.number().int().nonnegative().default(10_000),
  /** Which queues a worker process serves (libs/queue `JOBS` names). Unset: every queue. */
  WORKER_QUEUES: csv.optional(),
  OCR_MODEL_DIR: z.string().optional(),
  OCR_DET_MODEL: z.string().optional(),
  OCR_REC_MODEL: z.string().optional(),
  OCR_CLS_MODEL: z.string().optional(),
  OCR_DICT: z.string().optional(),
  /**
   * The trained Latin head (accents, ß, €, « »; the default recognizer only): `head` reads with it instead of the recognizer's own
   * classifier, `gated` keeps the classifier and takes the head's reading only where it is confident of an accented letter over the
   * classifier's ASCII base or of typographic punctuation, `off` reads with the classifier alone (README). `on` = `head`. `gated` is the
   * default: on the dev set its CER nocase and bow F1 were those of `off` or better (0.0624 / 0.8616 against 0.0631 / 0.8588) while
   * non-ASCII recall rose 0.133 → 0.500; `head` reads more accents (0.667) but also puts some on clean capitals.
   */
  OCR_LATIN_HEAD: z.enum(['off', 'head', 'gated', 'on']).default('gated'),
  /** Where prepared models are cached between processes (default `~/.cache/folio-ocr`); `off` prepares them in every engine. */
  OCR_MODEL_CACHE_DIR: z.string().min(1).optional(),
  /** ONNX execution providers in order of preference (cuda, tensorrt, webgpu, dml, cpu); one that cannot load falls back with a warn line. */
  OCR_PROVIDERS: csv.default(['cpu']),
  /** ONNX Runtime graph optimisation level. */
  OCR_GRAPH_OPTIMIZATION: z.enum(['disabled', 'basic', 'extended', 'layout', 'all']).default('all'),
  /** ONNX inter-op threads per engine (> 1 runs independent graph branches in parallel; the PP-OCR graphs have none worth it). */
  OCR_INTER_OP_THREADS: z.coerce.number().int().positive().default(1),
  /** GPU ordinal for the cuda, tensorrt and dml providers. */
  OCR_DEVICE_ID: z.coerce.number().int().min(0).default(0),
  /** ONNX intra-op threads per engine. One thread per engine and one engine per core is the most pages per CPU-second. */
  OCR_THREADS: z.coerce.number().int().positive().default(1),
  /** Engines per recognize worker process (worker_threads); each takes one page at a time. */
  OCR_ENGINE_WORKERS: z.coerce.number().int().positive().default(2),
  /** `noop` skips the models: every page reads as one word, `noop` (benchmarks and pipeline tests only). */
  OCR_ENGINE: z.enum(['onnx', 'noop']).default('onnx'),
  /**
   * How long an upload request waits for ingest to page or refuse its document, ms: a refusal
   * within it is the request's 4xx (nothing kept); past it the request answers with the file id and
   * a later refusal reaches the client as the file's FAILED status and its webhooks.
   */
  INGEST_WAIT_MS: z.coerce.number().int().positive().default(15_000),
  URL_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  URL_FETCH_MAX_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  /** CIDRs that URL inputs may reach although private (loopback, 10/8, ...). */
  URL_ALLOW_PRIVATE: csv.default([]),
  /** Tries per webhook delivery, the first included; after the last the delivery is FAILED. */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Delay before the first webhook retry, doubled each time (5 s … ~21 min with 10 attempts), ms. */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().nonnegative().default(5_000),
  /** How long a receiver has to answer one delivery, ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Deliveries in flight at once to one endpoint (per worker process); more wait their turn without using attempts. */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /**
   * Deliveries in flight at once for one organization (per worker process): its receivers, however
   * slow, never hold more of the webhook worker's 8 slots than this.
   */
  WEBHOOK_ORG_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /** Consecutive failed deliveries (timeouts, errors, non-2xx) after which an endpoint is paused. */
  WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().positive().default(3),
  /** First pause of a failing endpoint, ms; doubles with each further failure, up to 10 min. */
  WEBHOOK_PAUSE_MS: z.coerce.number().int().positive().default(30_000),
  /** Webhook endpoints one organization may have. */
  WEBHOOK_MAX_ENDPOINTS: z.coerce.number().int().positive().default(20),
  /** Comment lines sent on idle `GET /v1/files/{id}/events` streams so proxies keep them open, ms. */
  SSE_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  /** `folio submit` / `folio status`: the API to talk to. Unset: http://127.0.0.1:8080. */
  FOLIO_URL: z.string().optional(),
  /** `folio submit` / `folio status`: the API key. Unset: the key `folio serve` saved under FOLIO_HOME. */
  FOLIO_API_KEY: z.string().optional(),
  /**
   * Port of a worker process's own HTTP server for `/metrics` and `/v1/health/*`. 0 = none (the
   * default, so workers started by tests open no port); the API always serves `/metrics` on PORT,
   * and `npm start` (one process) exposes the workers' metrics there too.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** When set, `/metrics` (API and workers) answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /**
   * The operator credential of the queue dashboard (`/admin/queues`), at least 32 characters and
   * belonging to no organization. When set, only it opens the dashboard, which shows every
   * organization's jobs; admin API keys (which belong to one organization) no longer do. Unset:
   * admin API keys open it while the deployment has a single organization (403 once there are more).
   */
  OPERATOR_TOKEN: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || v.length >= 32, 'OPERATOR_TOKEN must be at least 32 characters'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Parses the environment once; throws with every bad variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze({ ...parsed.data, ...overrides });
}
