/** Why a database operation failed, in terms callers can act on. */
export type DbErrorCode =
  /** A unique constraint refused the row (Prisma P2002, SQLSTATE 23505). Callers usually answer 409. */
  | 'unique_violation'
  /** A referenced row does not exist (Prisma P2003, SQLSTATE 23503). */
  | 'foreign_key_violation'
  /** The row to update or delete does not exist (Prisma P2025). Callers usually answer 404. */
  | 'not_found'
  /** Postgres could not be reached, or asked to retry (serialization failure, deadlock); worth retrying. */
  | 'unavailable'
  /** Anything else. */
  | 'failed';

/** The one error type `@folio/db` throws. `cause` keeps the Prisma or pg error for logs. */
export class DbError extends Error {
  override readonly name = 'DbError';
  readonly code: DbErrorCode;
  /** The constraint or index involved, when Postgres named one. */
  readonly constraint: string | undefined;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown; constraint?: string }) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.constraint = options?.constraint;
  }
}

/** True when `err` is a `DbError`, optionally with the given code. */
export function isDbError(err: unknown, code?: DbErrorCode): err is DbError {
  return err instanceof DbError && (code === undefined || err.code === code);
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown; constraint?: { index?: unknown } } }; target?: unknown };
  constraint?: unknown;
  errorCode?: unknown;
}

const SQLSTATE: Record<string, DbErrorCode> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '40001': 'unavailable',
  '40P01': 'unavailable',
  '57P01': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
};
const PRISMA: Record<string, DbErrorCode> = {
  P2002: 'unique_violation',
  P2003: 'foreign_key_violation',
  P2025: 'not_found',
  P2034: 'unavailable',
  P1001: 'unavailable',
  P1002: 'unavailable',
  P1008: 'unavailable',
  P1017: 'unavailable',
  P2024: 'unavailable',
};
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * What `pg` and `pg-pool` say, without any SQLSTATE or errno, when the server does not answer:
 * a connect that got no reply within `connectionTimeoutMillis` (a frozen or overloaded host), a
 * socket closed under a query (crash, failover), a pool whose every client is taken, a client
 * left broken by an earlier connection error. These carry no code, so the message is all there is.
 */
const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error and is not queryable/i,
  /query read timeout/i,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /can't reach database server/i,
];

/** Prisma driver-adapter error kinds that mean the server is out of reach, not that a query was wrong. */
const DRIVER_UNREACHABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

/**
 * True when `err`, or anything in its `cause` chain (Prisma's driver adapter wraps the pg error
 * one or two levels down), says Postgres cannot be reached now — as opposed to a query it refused.
 */
export function isDbUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 6) return false;
  if (err instanceof DbError) return err.code === 'unavailable' || isDbUnreachable(err.cause, depth + 1);
  const e = err as ErrorShape & { cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined && (NETWORK.has(code) || SQLSTATE[code] === 'unavailable' || PRISMA[code] === 'unavailable')) return true;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && DRIVER_UNREACHABLE.has(kind)) return true;
  if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (err instanceof AggregateError && err.errors.some((x) => isDbUnreachable(x, depth + 1))) return true;
  return isDbUnreachable(e.cause, depth + 1);
}

/**
 * Maps a Prisma or pg error to a `DbError` (already-translated errors pass through).
 * Raw queries through the driver adapter report P2010 with the SQLSTATE inside `meta`.
 */
export function toDbError(err: unknown): DbError {
  if (err instanceof DbError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const message = typeof e.message === 'string' ? e.message.trim().split('\n').filter(Boolean).at(-1) ?? 'database error' : String(err);
  const cause = e.meta?.driverAdapterError?.cause;
  const constraint = [cause?.constraint?.index, e.constraint].find((c): c is string => typeof c === 'string');
  const options = constraint === undefined ? { cause: err } : { cause: err, constraint };
  const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : undefined;
  if (code !== undefined) {
    const mapped = PRISMA[code] ?? SQLSTATE[code] ?? (NETWORK.has(code) ? 'unavailable' : undefined);
    if (mapped) return new DbError(mapped, message, options);
  }
  if (typeof cause?.originalCode === 'string' && SQLSTATE[cause.originalCode]) {
    return new DbError(SQLSTATE[cause.originalCode] as DbErrorCode, message, options);
  }
  if (typeof cause?.kind === 'string') {
    if (cause.kind === 'UniqueConstraintViolation') return new DbError('unique_violation', message, options);
    if (cause.kind === 'ForeignKeyConstraintViolation') return new DbError('foreign_key_violation', message, options);
    if (cause.kind === 'DatabaseNotReachable' || cause.kind === 'TransactionWriteConflict') return new DbError('unavailable', message, options);
  }
  if (e.constructor?.name === 'PrismaClientInitializationError') return new DbError('unavailable', message, options);
  if (isDbUnreachable(err)) return new DbError('unavailable', message, options);
  return new DbError('failed', message, options);
}

/** Runs `fn`, rethrowing whatever it throws as a `DbError`. */
export async function withDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDbError(err);
  }
}
