import { readSse, type SseMessage } from '@folio/contracts';

export interface SseStream {
  status: number;
  headers: Headers;
  /** The next event or comment; `null` once the server ended the stream. Fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage | null>;
  /** The next event, skipping comments (heartbeats). */
  nextEvent(timeoutMs?: number): Promise<Extract<SseMessage, { kind: 'event' }> | null>;
  /** Hangs up, as a client that goes away. */
  abort(): void;
}

/** Opens `GET url` as an event stream (the body is read only when asked). */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const iterator = res.body ? readSse(res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() : null;
  const next = async (timeoutMs = 10_000): Promise<SseMessage | null> => {
    if (!iterator) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const r = await Promise.race([iterator.next(), timeout]);
      return r.done ? null : r.value;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    async nextEvent(timeoutMs) {
      for (;;) {
        const m = await next(timeoutMs);
        if (m === null || m.kind === 'event') return m;
      }
    },
    abort: () => controller.abort(),
  };
}
