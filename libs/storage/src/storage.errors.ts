/** Why a storage operation failed, in terms callers can act on. */
export type StorageErrorCode =
  /** The object (or bucket) does not exist. Callers usually answer 404. */
  | 'not_found'
  /** The S3 endpoint could not be reached, timed out or answered 5xx; worth retrying. */
  | 'unavailable'
  /** A streamed upload passed its `maxBytes`; nothing was kept. Callers usually answer 413. */
  | 'too_large'
  /** Anything else (bad credentials, bad request, misconfiguration). */
  | 'failed';

/** The one error type `@folio/storage` throws. `cause` keeps the SDK error for logs. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `err` is a `StorageError`, optionally with the given code. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload']);
const UNAVAILABLE_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'SlowDown', 'ServiceUnavailable', 'InternalError']);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

function isNetworkError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as SdkLikeError;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  // AggregateError from happy-eyeballs connects carries the ECONNREFUSED underneath.
  if (err instanceof AggregateError && err.errors.some((x) => isNetworkError(x, depth + 1))) return true;
  return isNetworkError(e.cause, depth + 1);
}

/**
 * Maps an AWS SDK / network error to a `StorageError`. Already-translated errors pass through.
 * `what` names the operation and key for the message (e.g. `get files/abc`).
 */
export function toStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkLikeError;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const detail = err instanceof Error ? err.message : String(err);

  if (NOT_FOUND_NAMES.has(name) || (status === 404 && name !== 'NoSuchBucket')) {
    return new StorageError('not_found', `${what}: not found`, { cause: err });
  }
  if (name === 'NoSuchBucket') {
    // A missing bucket is a deployment mistake, not a missing object: say so loudly.
    return new StorageError('failed', `${what}: bucket does not exist (${detail})`, { cause: err });
  }
  if (UNAVAILABLE_NAMES.has(name) || (status !== undefined && status >= 500) || isNetworkError(err)) {
    return new StorageError('unavailable', `${what}: storage unavailable (${name || 'error'}: ${detail})`, { cause: err });
  }
  return new StorageError('failed', `${what}: ${name || 'error'}: ${detail}`, { cause: err });
}

/**
 * True when `err`, or anything in its `cause` chain, says S3 cannot be reached now (network
 * errors, timeouts, 5xx, `SlowDown`), whether or not it was already translated to a `StorageError`.
 */
export function isStorageUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 6) return false;
  if (err instanceof StorageError) return err.code === 'unavailable';
  const e = err as SdkLikeError;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  // Only errors that look like the SDK's (a name it uses, or response metadata): a plain Error
  // from elsewhere must not be read as storage trouble here.
  if (status !== undefined || (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name))) {
    return toStorageError(err, 'storage').code === 'unavailable';
  }
  return isStorageUnreachable(e.cause, depth + 1);
}
