import type { Config } from '@folio/config';
import { createDb, type Db } from '@folio/db';
import { createEventBus, createQueues, createRedisConnection, jobDefaultsFromConfig, redisUrlOrDefault, type EventBus, type Queues } from '@folio/queue';
import { createStorage, type Storage } from '@folio/storage';
import type { Redis } from 'ioredis';

/** The shared services every Folio process talks to, connected from configuration. */
export interface Services {
  db: Db;
  storage: Storage;
  queues: Queues;
  events: EventBus;
  /** The shared Redis connection (BullMQ workers duplicate it for blocking reads). */
  redis: Redis;
  /** Closes everything this created, in the reverse order. */
  close(): Promise<void>;
}

/**
 * Connects Postgres, Redis and S3 lazily (first use opens each), so a process starts even
 * while a dependency is still coming up; readiness checks tell when they answer. With
 * `redisCommandTimeoutMs` (the API), Redis commands fail as an outage instead of waiting one out.
 */
export function connectServices(config: Config, name: string, options: { redisCommandTimeoutMs?: number } = {}): Services {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded Postgres).');
  const db = createDb(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
  });
  const redis = createRedisConnection(redisUrlOrDefault(config.REDIS_URL), {
    connectionName: `folio-${name}`,
    ...(options.redisCommandTimeoutMs !== undefined ? { commandTimeoutMs: options.redisCommandTimeoutMs } : {}),
  });
  const queues = createQueues({ connection: redis, prefix: config.QUEUE_PREFIX, ...jobDefaultsFromConfig(config) });
  const events = createEventBus(redis, config.QUEUE_PREFIX);
  const storage = createStorage({
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
  let closing: Promise<void> | undefined;
  return {
    db,
    storage,
    queues,
    events,
    redis,
    close: () =>
      (closing ??= (async () => {
        await events.close();
        await queues.close();
        await redis.quit().catch(() => redis.disconnect());
        storage.close();
        await db.close();
      })()),
  };
}
