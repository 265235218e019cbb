import { isDbError } from '@folio/db';
import { isStorageError } from '@folio/storage';
import { ForeignJobError } from './foreign-job.ts';

/**
 * True when `err` says a service the job needs is down (Postgres unreachable or restarting,
 * S3 unreachable or answering 5xx), not that the job's input is bad. Such jobs wait for the
 * service to come back instead of using up their attempts.
 */
export function isOutage(err: unknown): boolean {
  // Another instance's job waits the same way: back to the queue, no attempt used, for its owner.
  return isDbError(err, 'unavailable') || isStorageError(err, 'unavailable') || err instanceof ForeignJobError;
}
