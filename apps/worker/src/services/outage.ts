import { isDbError } from '@folio/db';
import { isStorageError } from '@folio/storage';

/**
 * True when `err` says a service the job needs is down (Postgres unreachable or restarting,
 * S3 unreachable or answering 5xx), not that the job's input is bad. Such jobs wait for the
 * service to come back instead of using up their attempts.
 */
export function isOutage(err: unknown): boolean {
  return isDbError(err, 'unavailable') || isStorageError(err, 'unavailable');
}
