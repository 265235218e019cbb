import { rowIdSchema } from './job.schemas.ts';
import type { QueueName } from './queue.names.ts';

/**
 * Deterministic BullMQ job id for the job that handles `rowId` on queue `name`:
 * `<name>-<rowId>`, e.g. `render-0b6f…`. Adding a job whose id already exists is a no-op, which
 * makes retried and duplicated enqueues safe. `-` rather than `:` because BullMQ 6 rejects
 * custom ids containing `:` (unless they look like its own `repeat:x:y` ids) and integer ids.
 * @throws when `rowId` has characters outside `[A-Za-z0-9_-]`
 */
export function jobId(name: QueueName, rowId: string): string {
  return `${name}-${rowIdSchema.parse(rowId)}`;
}
