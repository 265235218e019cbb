import { Redis } from 'ioredis';

/** Where Folio looks for Redis when `REDIS_URL` is unset. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** `url` when given and non-empty, else {@link DEFAULT_REDIS_URL}. */
export function redisUrlOrDefault(url?: string): string {
  return url !== undefined && url.trim() !== '' ? url : DEFAULT_REDIS_URL;
}

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, e.g. `folio-api`. */
  connectionName?: string;
  /** Longest wait between reconnect attempts, ms. @defaultValue 5_000 */
  maxReconnectDelayMs?: number;
  /**
   * For producers that answer someone (the API): a command not answered within this many ms
   * fails ("Command timed out", an outage), and one issued while disconnected fails after one
   * reconnect attempt instead of waiting for Redis to come back. Never for BullMQ workers, whose
   * blocking reads must wait. Unset: commands wait for as long as the outage lasts.
   */
  commandTimeoutMs?: number;
}

/**
 * An ioredis connection suitable for BullMQ queues, workers and the event bus.
 * `maxRetriesPerRequest: null` is what BullMQ requires (blocking commands must not fail after
 * N retries), and reconnects go on forever with a capped linear backoff, so a Redis restart
 * pauses work instead of crashing workers. With `commandTimeoutMs` (the API) commands fail
 * instead of waiting out an outage.
 */
export function createRedisConnection(url: string, opts: RedisConnectionOptions = {}): Redis {
  const cap = opts.maxReconnectDelayMs ?? 5_000;
  return new Redis(url, {
    maxRetriesPerRequest: opts.commandTimeoutMs === undefined ? null : 1,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, cap),
    ...(opts.connectionName !== undefined ? { connectionName: opts.connectionName } : {}),
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeout: opts.commandTimeoutMs } : {}),
  });
}

/**
 * One-shot check that a Redis answers PING at `url` within `timeoutMs` (default 1_000 ms);
 * never throws. For `npm start` deciding whether to start its own redis-server.
 */
export async function probeRedis(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  // Without a listener a refused connection is reported as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref());
    return (await Promise.race([client.ping(), timer])) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
