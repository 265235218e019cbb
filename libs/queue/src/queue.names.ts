/**
 * Every BullMQ queue Folio runs. Each pipeline stage is its own queue so that a worker process
 * picks stages with `WORKER_QUEUES` (GPU workers run `recognize` only and never rasterize).
 */
export const QUEUE_NAMES = ['ingest', 'render', 'recognize', 'finalize', 'maintenance', 'webhook'] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];

/** Narrowing check for names coming from config or CLI input. */
export function isQueueName(s: string): s is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(s);
}
