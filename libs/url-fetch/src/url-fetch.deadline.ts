import { UrlFetchError } from './url-fetch.errors.ts';

/**
 * One deadline for a whole fetch. Its signal aborts with a `timeout` UrlFetchError as reason,
 * so whatever listens can rethrow `signal.reason` as is.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number, what: string) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.controller.abort(new UrlFetchError('timeout', `${what} did not finish within ${ms} ms`));
    }, ms);
  }

  /** Stops the clock (the download is complete or has failed otherwise). */
  clear(): void {
    clearTimeout(this.timer);
  }
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
