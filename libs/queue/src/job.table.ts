import { z } from 'zod';
import { defineJob } from './job.definition.ts';
import { pageReadSchema, requestIdSchema, rowIdSchema } from './job.schemas.ts';
import { recognizeConcurrency } from './recognize.capacity.ts';

/** Maintenance tasks run as repeatable jobs on the `maintenance` queue. */
export const MAINTENANCE_TASKS = ['reconcile', 'reap'] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

const fileJob = z.object({ fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema });
const pageJob = z.object({ pageId: rowIdSchema, fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema });

/**
 * Every job Folio runs, one BullMQ queue each, in pipeline order (workers start in this order).
 * Each pipeline stage is its own queue so that a worker process picks stages with `WORKER_QUEUES`
 * (GPU workers run `recognize` only and never rasterize). To add a job: an entry here, its
 * processor in apps/worker/src/processors, and that processor's line in the map there (the
 * compiler asks for it).
 */
export const JOBS = {
  /** Opens an uploaded or fetched document, counts its pages and creates their rows. */
  ingest: defineJob({
    schema: fileJob,
    rowId: (d) => d.fileId,
    concurrency: (c) => c.INGEST_CONCURRENCY,
    stage: 'ingest',
    waitsOutOutages: true,
  }),
  /** Rasterizes one page to the image recognize reads. */
  render: defineJob({
    schema: pageJob,
    rowId: (d) => d.pageId,
    concurrency: (c) => c.RENDER_CONCURRENCY,
    stage: 'render',
    waitsOutOutages: true,
  }),
  /** Runs the OCR engine on one rendered page (timed by the engine's own stages). */
  recognize: defineJob({
    schema: pageJob.extend({ read: pageReadSchema.optional() }),
    rowId: (d) => d.pageId,
    concurrency: recognizeConcurrency,
    waitsOutOutages: true,
  }),
  /** Sets a file's final status from its pages and queues its webhooks. */
  finalize: defineJob({
    schema: fileJob,
    rowId: (d) => d.fileId,
    concurrency: () => 4,
    stage: 'finalize',
    waitsOutOutages: true,
  }),
  /**
   * Fits one training run of a custom model (OCR of its images, cached by digest; alignment;
   * fit; validation; the new version switched in). Runs where engines are loaded (recognize
   * workers). One run at a time per worker: a fit takes both cores' worth of arithmetic.
   */
  train: defineJob({
    schema: z.object({ runId: rowIdSchema, modelId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
    rowId: (d) => d.runId,
    concurrency: () => 1,
    stage: 'train',
    waitsOutOutages: true,
  }),
  /** Periodic sweeps (reconcile, reap), one job per task and tick. */
  maintenance: defineJob({
    schema: z.object({ task: z.enum(MAINTENANCE_TASKS) }),
    rowId: (d) => d.task,
    concurrency: () => 1,
    // It runs again on its own schedule: retrying a failed sweep, or holding one through an
    // outage, only piles up sweeps.
    fixed: { attempts: 1, keepCompletedCount: 50, keepFailedCount: 100 },
    waitsOutOutages: false,
  }),
  /** One webhook delivery (its row holds endpoint, event and payload). */
  webhook: defineJob({
    schema: z.object({ deliveryId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
    rowId: (d) => d.deliveryId,
    concurrency: () => 8,
    // Receivers may be down for a while: webhooks retry longer than pages.
    retry: (c) => ({ attempts: c.WEBHOOK_ATTEMPTS, backoffMs: c.WEBHOOK_BACKOFF_MS }),
    waitsOutOutages: true,
  }),
};

/** Every queue name: the keys of {@link JOBS}. */
export type QueueName = keyof typeof JOBS;

/** `JobData<'render'>` → `{ pageId, fileId, orgId, requestId }`. */
export type JobData<N extends QueueName> = z.infer<(typeof JOBS)[N]['schema']>;

/** The `stage` labels jobs are timed under (`ingest`, `render`, `finalize`). */
export type JobStage = NonNullable<(typeof JOBS)[QueueName]['stage']>;
