import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../src/index.ts';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A prefix no other test file or helper uses. */
export function uniquePrefix(tag: string): string {
  return `test-${tag}-${randomUUID().slice(0, 8)}`;
}

export function connect(): Redis {
  return createRedisConnection(REDIS_URL, { connectionName: 'folio-queue-test' });
}

/** Every key under `prefix:` (SCAN, never KEYS on a shared Redis). */
export async function keysUnder(conn: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await conn.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    out.push(...batch);
  } while (cursor !== '0');
  return out;
}

export async function deleteKeysUnder(conn: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(conn, prefix);
  for (let i = 0; i < keys.length; i += 500) await conn.del(...keys.slice(i, i + 500));
}

/** Polls `cond` every 10 ms until true or `timeoutMs` passes. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
