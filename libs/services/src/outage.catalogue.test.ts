import { createServer, type Server, type Socket } from 'node:net';
import { createDb } from '@folio/db';
import { createStorage, StorageError } from '@folio/storage';
import { createRedisConnection } from '@folio/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { isOutage, outageOf } from './outage.catalogue.ts';

/**
 * The errors real drivers throw when a service does not answer, produced against real sockets:
 * a port nobody listens on (refused) and a server that accepts and never says a word (a frozen
 * Postgres looks exactly like this to a client).
 */
describe('outage catalogue', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort: number;
  let closedPort: number;
  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    closedPort = await freePort();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
    try {
      await fn();
    } catch (err) {
      return err;
    }
    throw new Error('expected a failure');
  }

  it('classifies a frozen Postgres (connection timeout, no pg code) and a refused one as database outages', async () => {
    const frozen = createDb(`postgres://u:p@127.0.0.1:${silentPort}/db`, { connectionTimeoutMs: 300 });
    const refused = createDb(`postgres://u:p@127.0.0.1:${closedPort}/db`, { connectionTimeoutMs: 300 });
    try {
      const a = await thrown(() => frozen.apiKeys.findActiveByPlaintext('folio_abcdefgh'));
      expect(String((a as Error).message)).toMatch(/connection/i);
      expect(outageOf(a)).toBe('database');
      // The untranslated driver error (as Prisma raw calls or a wrapper would surface it).
      expect(outageOf(new Error('wrapped', { cause: (a as Error).cause }))).toBe('database');
      expect(outageOf(await thrown(() => refused.prisma.$queryRawUnsafe('select 1')))).toBe('database');
    } finally {
      await frozen.close();
      await refused.close();
    }
  });

  it('classifies a pool with every client taken as a database outage', async () => {
    const db = createDb(`postgres://u:p@127.0.0.1:${silentPort}/db`, { connectionTimeoutMs: 200, poolSize: 1 });
    try {
      const errs = await Promise.all([thrown(() => db.prisma.$queryRawUnsafe('select 1')), thrown(() => db.prisma.$queryRawUnsafe('select 1'))]);
      for (const e of errs) expect(outageOf(e)).toBe('database');
    } finally {
      await db.close();
    }
  });

  it('classifies unreachable S3 and 503/SlowDown answers as storage outages, a 403 not', async () => {
    const storage = createStorage({ endpoint: `http://127.0.0.1:${closedPort}`, bucket: 'folio', accessKeyId: 'k', secretAccessKey: 's', region: 'us-east-1', forcePathStyle: true });
    const err = await thrown(() => storage.head('x'));
    expect(err).toBeInstanceOf(StorageError);
    expect(outageOf(err)).toBe('storage');
    const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    expect(outageOf(slowDown)).toBe('storage');
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(isOutage(denied)).toBe(false);
  });

  it('classifies a refused or closed Redis connection as a queue outage', async () => {
    const redis = new Redis(`redis://127.0.0.1:${closedPort}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    redis.on('error', () => undefined);
    const err = await thrown(() => redis.connect());
    expect(outageOf(err)).toBe('queue');
    expect(outageOf(await thrown(() => redis.ping()))).toBe('queue');
    redis.disconnect();
  });

  it("classifies a frozen Redis (the API's command timeout) as a queue outage", async () => {
    const redis = createRedisConnection(`redis://127.0.0.1:${silentPort}`, { commandTimeoutMs: 200, maxReconnectDelayMs: 100 });
    redis.on('error', () => undefined);
    const started = Date.now();
    const err = await thrown(() => redis.ping());
    expect(outageOf(err)).toBe('queue');
    expect(Date.now() - started).toBeLessThan(5_000);
    redis.disconnect();
  });

  it('leaves input errors alone', () => {
    expect(isOutage(new Error('invalid input syntax for type uuid'))).toBe(false);
    expect(isOutage(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isOutage(undefined)).toBe(false);
  });
});
