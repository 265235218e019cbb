import { isDbError, isDbUnreachable } from '@folio/db';
import { isRedisUnreachable } from '@folio/queue';
import { isStorageError, isStorageUnreachable } from '@folio/storage';

/** Which service an outage is of. */
export type OutageOf = 'database' | 'storage' | 'queue';

/**
 * THE catalogue of errors that mean "a service Folio needs is not reachable now" — the one place
 * the API (503 + Retry-After) and the workers (put back, delayed, without using an attempt) ask.
 * Each owning lib classifies its own driver's errors, including untranslated ones and ones
 * wrapped in `cause` chains:
 *
 * - database (`@folio/db` `isDbUnreachable`): SQLSTATE 57P01/57P03/53300/40001/40P01, Prisma
 *   P1001/P1002/P1008/P1017/P2024/P2034, driver-adapter kinds DatabaseNotReachable,
 *   ConnectionClosed, SocketTimeout, TooManyConnections; and pg's code-less messages — "Connection
 *   terminated due to connection timeout" (a frozen server), "Connection terminated unexpectedly",
 *   "timeout exceeded when trying to connect" (pool exhausted); ECONNREFUSED/ECONNRESET/ETIMEDOUT.
 * - storage (`@folio/storage` `isStorageUnreachable`): network errors, timeouts, any 5xx
 *   (503 ServiceUnavailable, 500 InternalError), `SlowDown`.
 * - queue (`@folio/queue` `isRedisUnreachable`): ioredis "Connection is closed", max retries per
 *   request, "Command timed out" (the API's `REDIS_COMMAND_TIMEOUT_MS`: a frozen Redis), refused or
 *   reset connections, LOADING/MASTERDOWN/TRYAGAIN replies.
 */
export function outageOf(err: unknown): OutageOf | undefined {
  // A translated error names its service; bare errno codes (ECONNREFUSED) are everybody's.
  if (isStorageError(err)) return isStorageUnreachable(err) ? 'storage' : undefined;
  if (isDbError(err)) return isDbUnreachable(err) ? 'database' : undefined;
  if (isDbUnreachable(err)) return 'database';
  if (isStorageUnreachable(err)) return 'storage';
  if (isRedisUnreachable(err)) return 'queue';
  return undefined;
}

/** True when `err` is in the outage catalogue ({@link outageOf}). */
export function isOutage(err: unknown): boolean {
  return outageOf(err) !== undefined;
}
