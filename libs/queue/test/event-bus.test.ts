import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus, type ProgressEvent } from '../src/index.ts';
import { connect, deleteKeysUnder, uniquePrefix, until } from './redis.helpers.ts';

const prefix = uniquePrefix('events');
let workerConn: Redis;
let apiConn: Redis;
let workerBus: EventBus;
let apiBus: EventBus;

beforeAll(() => {
  // Two connections stand for two processes: a worker publishing, an API listening.
  workerConn = connect();
  apiConn = connect();
  workerBus = createEventBus(workerConn, prefix);
  apiBus = createEventBus(apiConn, prefix);
});

afterAll(async () => {
  await workerBus.close();
  await apiBus.close();
  await deleteKeysUnder(apiConn, prefix);
  await workerConn.quit();
  await apiConn.quit();
});

describe('event bus', () => {
  it('delivers page and file events for one file across connections, in order', async () => {
    const fileId = randomUUID();
    const other = randomUUID();
    const got: ProgressEvent[] = [];
    const unsubscribe = await apiBus.subscribe(fileId, (e) => got.push(e));
    const pageId = randomUUID();
    expect(await workerBus.publish({ type: 'page', fileId, pageId, status: 'COMPLETE', done: 1, total: 2 })).toBe(1);
    await workerBus.publish({ type: 'page', fileId: other, pageId, status: 'COMPLETE', done: 1, total: 1 });
    await workerBus.publish({ type: 'file', fileId, status: 'COMPLETE' });
    await until(() => got.length === 2);
    expect(got).toEqual([
      { type: 'page', fileId, pageId, status: 'COMPLETE', done: 1, total: 2 },
      { type: 'file', fileId, status: 'COMPLETE' },
    ]);
    await unsubscribe();
    expect(await workerBus.publish({ type: 'file', fileId, status: 'FAILED' })).toBe(0);
  });

  it('keeps other listeners of the same file when one unsubscribes', async () => {
    const fileId = randomUUID();
    const a: ProgressEvent[] = [];
    const b: ProgressEvent[] = [];
    const offA = await apiBus.subscribe(fileId, (e) => a.push(e));
    const offB = await apiBus.subscribe(fileId, (e) => b.push(e));
    await offA();
    await workerBus.publish({ type: 'file', fileId, status: 'PARTIAL' });
    await until(() => b.length === 1);
    expect(a).toEqual([]);
    await offB();
  });

  it('drops malformed messages and refuses to publish malformed events', async () => {
    const fileId = randomUUID();
    const got: ProgressEvent[] = [];
    const off = await apiBus.subscribe(fileId, (e) => got.push(e));
    await workerConn.publish(`${prefix}:events:file:${fileId}`, 'not json');
    await workerConn.publish(`${prefix}:events:file:${fileId}`, JSON.stringify({ type: 'page', fileId }));
    await workerBus.publish({ type: 'file', fileId, status: 'COMPLETE' });
    await until(() => got.length === 1);
    expect(got[0]).toEqual({ type: 'file', fileId, status: 'COMPLETE' });
    await expect(workerBus.publish({ type: 'file', fileId: 'bad:id', status: 'COMPLETE' })).rejects.toThrow();
    await off();
  });

  it('waitForFile resolves on a final status, skipping progress and other statuses', async () => {
    const fileId = randomUUID();
    const waiting = apiBus.waitForFile(fileId, { statuses: ['COMPLETE', 'PARTIAL', 'FAILED'], timeoutMs: 5_000 });
    // Let the subscription go live before publishing.
    await new Promise((r) => setTimeout(r, 100));
    await workerBus.publish({ type: 'page', fileId, pageId: randomUUID(), status: 'COMPLETE', done: 1, total: 1 });
    await workerBus.publish({ type: 'file', fileId, status: 'RUNNING' });
    await workerBus.publish({ type: 'file', fileId, status: 'PARTIAL' });
    expect(await waiting).toEqual({ type: 'file', fileId, status: 'PARTIAL' });
  });

  it('waitForFile returns what check() finds, and null on timeout or abort', async () => {
    const fileId = randomUUID();
    const done = { type: 'file' as const, fileId, status: 'COMPLETE' };
    expect(await apiBus.waitForFile(fileId, { statuses: ['COMPLETE'], timeoutMs: 5_000, check: async () => done })).toEqual(done);
    const t0 = Date.now();
    expect(await apiBus.waitForFile(fileId, { statuses: ['COMPLETE'], timeoutMs: 150, check: async () => null })).toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await apiBus.waitForFile(fileId, { statuses: ['COMPLETE'], timeoutMs: 5_000, signal: ac.signal })).toBeNull();
    // Every wait unsubscribed: nobody hears the file any more.
    expect(await workerBus.publish(done)).toBe(0);
  });
});
