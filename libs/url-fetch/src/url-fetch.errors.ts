/** Why a URL input could not be fetched. */
export type UrlFetchErrorCode =
  | 'invalid_url'
  | 'forbidden_address'
  | 'too_many_redirects'
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'unreachable';

export interface UrlFetchErrorOptions {
  cause?: unknown;
  /** Upstream HTTP status, for `http_status`. */
  status?: number;
  /**
   * The refused address for `forbidden_address` after DNS resolution. Kept out of the message
   * so clients cannot map private DNS names through us; log it instead.
   */
  address?: string;
}

/**
 * A failed URL fetch. The message is meant for the client (API 4xx body, FAILED file reason);
 * `permanent` says whether trying again later could help (BullMQ retry or not).
 */
export class UrlFetchError extends Error {
  override readonly name = 'UrlFetchError';
  readonly code: UrlFetchErrorCode;
  readonly status?: number;
  readonly address?: string;

  constructor(code: UrlFetchErrorCode, message: string, opts: UrlFetchErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.address !== undefined) this.address = opts.address;
  }

  /**
   * False for timeouts, network failures, 5xx, 408 and 429 (a later attempt may work);
   * true for everything the input itself is to blame for.
   */
  get permanent(): boolean {
    if (this.code === 'timeout' || this.code === 'unreachable') return false;
    if (this.code === 'http_status') {
      const s = this.status ?? 0;
      return !(s >= 500 || s === 408 || s === 429);
    }
    return true;
  }
}

export function isUrlFetchError(err: unknown): err is UrlFetchError {
  return err instanceof UrlFetchError;
}
