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
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

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
