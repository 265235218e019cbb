import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Deadline } from './url-fetch.deadline.ts';
import { UrlFetchError } from './url-fetch.errors.ts';

/** What the sink learns about the body before reading it. */
export interface FetchedBodyInfo {
  /** The `Content-Type` the server sent, as is; null when absent. */
  contentType: string | null;
  /** The announced `Content-Length` in bytes (≤ maxBytes); null when absent (chunked). */
  contentLength: number | null;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
}

/** Receives the body stream; must consume it (or fail) and settle. */
export type UrlFetchSink<T> = (body: Readable, info: FetchedBodyInfo) => Promise<T>;

/** Passes bytes through and fails as soon as more than `max` have passed. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly source: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      done(new UrlFetchError('too_large', `body from ${this.source} exceeds the limit of ${this.max} bytes`));
      return;
    }
    done(null, chunk);
  }
}

function contentLengthOf(res: IncomingMessage): number | null {
  const raw = res.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Hands a 2xx response's body to the sink through a byte limit, under the fetch deadline.
 * Whatever fails on our side (too large, deadline, connection cut) errors the sink's stream
 * and is what this rejects with, even when the sink reports it in its own words (a storage
 * error wrapping ours) or swallows it.
 */
export async function deliverBody<T>(
  res: IncomingMessage,
  finalUrl: URL,
  sink: UrlFetchSink<T>,
  maxBytes: number,
  deadline: Deadline,
): Promise<T> {
  const source = finalUrl.host;
  const contentLength = contentLengthOf(res);
  if (contentLength !== null && contentLength > maxBytes) {
    res.destroy();
    throw new UrlFetchError(
      'too_large',
      `body from ${source} is ${contentLength} bytes, over the limit of ${maxBytes} bytes`,
    );
  }

  const limiter = new ByteLimit(maxBytes, source);
  let failure: UrlFetchError | undefined;
  const fail = (err: UrlFetchError) => {
    if (failure) return;
    failure = err;
    deadline.clear();
    res.destroy();
    limiter.destroy(err);
  };
  const onAbort = () => fail(deadline.signal.reason as UrlFetchError);
  if (deadline.signal.aborted) onAbort();
  else deadline.signal.addEventListener('abort', onAbort, { once: true });
  res.on('error', (err) => {
    fail(err instanceof UrlFetchError ? err : new UrlFetchError('unreachable', `connection to ${source} broke off before the body was complete`, { cause: err }));
  });
  // The download is over once the last byte is in; the sink's own upload is not on our clock.
  res.once('end', () => deadline.clear());
  limiter.on('error', (err) => {
    // The sink destroying the stream with its own error keeps that error as the reason.
    if (err instanceof UrlFetchError) fail(err);
    else res.destroy();
  });
  res.pipe(limiter);

  const info: FetchedBodyInfo = {
    contentType: res.headers['content-type'] ?? null,
    contentLength,
    finalUrl: finalUrl.href,
  };
  try {
    const result = await sink(limiter, info);
    if (failure) throw failure;
    return result;
  } catch (err) {
    throw failure ?? err;
  } finally {
    deadline.signal.removeEventListener('abort', onAbort);
    res.destroy();
    if (!limiter.destroyed) limiter.destroy();
  }
}
