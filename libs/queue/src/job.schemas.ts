import { z } from 'zod';
import type { QueueName } from './queue.names.ts';

/**
 * Row ids as they may appear inside job ids: letters, digits, `_` and `-` (uuid, cuid, ...).
 * BullMQ 6 refuses custom ids that contain `:` (the Redis key separator) or parse as integers.
 */
export const rowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'row id must match [A-Za-z0-9_-]{1,128}');

/** The request that caused the work, carried for logs and tracing. */
const requestIdSchema = z.string().min(1).max(200);

/** Maintenance tasks run as repeatable jobs on the `maintenance` queue. */
export const MAINTENANCE_TASKS = ['reconcile', 'reap'] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

/** Job data per queue. Jobs carry ids, never rows: handlers reload from Postgres. */
export const jobSchemas = {
  ingest: z.object({ fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
  render: z.object({ pageId: rowIdSchema, fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
  recognize: z.object({ pageId: rowIdSchema, fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
  finalize: z.object({ fileId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
  maintenance: z.object({ task: z.enum(MAINTENANCE_TASKS) }),
  /** One webhook delivery (its row holds endpoint, event and payload). */
  webhook: z.object({ deliveryId: rowIdSchema, orgId: rowIdSchema, requestId: requestIdSchema }),
} as const satisfies Record<QueueName, z.ZodType>;

/** `JobData<'render'>` → `{ pageId, fileId, orgId, requestId }`. */
export type JobData<N extends QueueName> = z.infer<(typeof jobSchemas)[N]>;

/** The row a job is about: the id its job id derives from. */
export function rowIdOf(name: QueueName, data: JobData<QueueName>): string {
  const d = data as Partial<Record<'fileId' | 'pageId' | 'task' | 'deliveryId', string>>;
  const id =
    name === 'render' || name === 'recognize' ? d.pageId : name === 'maintenance' ? d.task : name === 'webhook' ? d.deliveryId : d.fileId;
  if (id === undefined) throw new Error(`job data for ${name} has no row id`);
  return id;
}
