import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueues,
  createWorker,
  DEFAULT_REDIS_URL,
  JOB_PRIORITY,
  jobId,
  probeRedis,
  redisUrlOrDefault,
  type JobData,
  type Queues,
} from '../src/index.ts';
import { connect, deleteKeysUnder, keysUnder, REDIS_URL, uniquePrefix, until } from './redis.helpers.ts';

const prefix = uniquePrefix('queue');
let conn: Redis;
let queues: Queues;

const page = (): JobData<'render'> => ({ pageId: randomUUID(), fileId: randomUUID(), orgId: randomUUID(), requestId: `req-${randomUUID()}` });

beforeAll(() => {
  conn = connect();
  queues = createQueues({ connection: conn, prefix, attempts: 3, backoffMs: 50 });
});

afterAll(async () => {
  await queues.obliterate();
  await queues.close();
  await deleteKeysUnder(conn, prefix);
  await conn.quit();
});

describe('job ids', () => {
  it('are <queue>-<row id>, accepted by BullMQ', async () => {
    const id = randomUUID();
    expect(jobId('render', id)).toBe(`render-${id}`);
    const data = { ...page(), pageId: id };
    expect(await queues.enqueue('render', data)).toBe(`render-${id}`);
    const job = await queues.queue('render').getJob(`render-${id}`);
    expect(job?.data).toEqual(data);
    // A row id that looks like an integer still gives a non-integer job id.
    expect(jobId('ingest', '12345')).toBe('ingest-12345');
  });

  it('refuse row ids that BullMQ or Redis keys would choke on', () => {
    for (const bad of ['a:b', 'a b', '', 'x/y', 'é']) expect(() => jobId('render', bad)).toThrow();
  });
});

describe('enqueue', () => {
  it('adds one job for two enqueues with the same row', async () => {
    const data = page();
    const id1 = await queues.enqueue('render', data);
    const id2 = await queues.enqueue('render', { ...data, requestId: 'another-request' });
    expect(id1).toBe(id2);
    const jobs = await queues.queue('render').getJobs(['prioritized', 'waiting']);
    expect(jobs.filter((j) => j.id === id1)).toHaveLength(1);
    // The first add wins; the duplicate changed nothing.
    expect((await queues.queue('render').getJob(id1))?.data.requestId).toBe(data.requestId);
  });

  it('applies default attempts, backoff, retention and normal priority', async () => {
    const id = await queues.enqueue('recognize', page());
    const job = await queues.queue('recognize').getJob(id);
    expect(job?.opts.attempts).toBe(3);
    expect(job?.opts.backoff).toMatchObject({ type: 'exponential', delay: 50 });
    expect(job?.opts.priority).toBe(JOB_PRIORITY.normal);
    expect(job?.opts.removeOnComplete).toMatchObject({ age: 3600, count: 1000 });
    expect(job?.opts.removeOnFail).toMatchObject({ count: 5000 });
  });

  it('validates data and priority before touching Redis', async () => {
    await expect(queues.enqueue('render', { fileId: randomUUID() } as unknown as JobData<'render'>)).rejects.toThrow();
    await expect(queues.enqueue('render', page(), { priority: 0 })).rejects.toThrow(RangeError);
  });

  it('adds many jobs at once, still deduplicated', async () => {
    const a = page();
    const b = page();
    const ids = await queues.enqueueMany('render', [{ data: a }, { data: b }, { data: a }]);
    expect(ids).toEqual([`render-${a.pageId}`, `render-${b.pageId}`, `render-${a.pageId}`]);
    expect(await queues.hasLiveJob('render', a.pageId)).toBe(true);
    expect(await queues.hasLiveJob('render', b.pageId)).toBe(true);
  });
});

describe('hasLiveJob and replaceFinished', () => {
  it('tracks a job from waiting to completed, and re-adds it only when asked', async () => {
    const p = prefix + '-live';
    const c = connect();
    const qs = createQueues({ connection: c, prefix: p });
    const data: JobData<'finalize'> = { fileId: randomUUID(), orgId: randomUUID(), requestId: 'r1' };
    expect(await qs.hasLiveJob('finalize', data.fileId)).toBe(false);
    expect(await qs.jobState('finalize', data.fileId)).toBe('unknown');
    await qs.enqueue('finalize', data);
    expect(await qs.hasLiveJob('finalize', data.fileId)).toBe(true);
    expect(await qs.jobState('finalize', data.fileId)).toBe('prioritized');

    let runs = 0;
    const w = createWorker('finalize', async () => ++runs, { connection: c, prefix: p });
    await until(async () => (await qs.jobState('finalize', data.fileId)) === 'completed');
    expect(await qs.hasLiveJob('finalize', data.fileId)).toBe(false);

    // The retained completed job swallows a plain re-enqueue...
    await qs.enqueue('finalize', data);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toBe(1);
    // ...and the reconciler's replaceFinished runs it again.
    await qs.enqueue('finalize', data, { replaceFinished: true });
    await until(() => runs === 2);
    await w.close();
    await qs.obliterate();
    await qs.close();
    expect(await keysUnder(c, p)).toEqual([]);
    await c.quit();
  });

  it('counts delayed jobs as live, and removeJob drops them', async () => {
    const data = page();
    await queues.enqueue('render', data, { delay: 60_000 });
    expect(await queues.jobState('render', data.pageId)).toBe('delayed');
    expect(await queues.hasLiveJob('render', data.pageId)).toBe(true);
    expect(await queues.removeJob('render', data.pageId)).toBe(true);
    expect(await queues.hasLiveJob('render', data.pageId)).toBe(false);
  });
});

describe('counts', () => {
  it('reports waiting + prioritized + active + delayed per queue', async () => {
    const p = prefix + '-counts';
    const c = connect();
    const qs = createQueues({ connection: c, prefix: p });
    await qs.enqueue('render', page());
    await qs.enqueue('render', page(), { priority: JOB_PRIORITY.high });
    await qs.enqueue('render', page(), { delay: 60_000 });
    await qs.enqueue('ingest', { fileId: randomUUID(), orgId: randomUUID(), requestId: 'r' });
    const counts = await qs.counts();
    expect(counts.render).toMatchObject({ prioritized: 2, delayed: 1, active: 0, total: 3 });
    expect(counts.ingest.total).toBe(1);
    expect(counts.recognize.total).toBe(0);
    expect(Object.keys(counts).sort()).toEqual(['finalize', 'ingest', 'maintenance', 'recognize', 'render', 'train', 'webhook']);
    await qs.obliterate();
    await qs.close();
    await deleteKeysUnder(c, p);
    await c.quit();
  });
});

describe('per-queue retry settings', () => {
  it('gives the webhook queue its own attempts and backoff, keyed by delivery id', async () => {
    const p = prefix + '-perqueue';
    const c = connect();
    const qs = createQueues({ connection: c, prefix: p, attempts: 3, backoffMs: 2_000, perQueue: { webhook: { attempts: 7, backoffMs: 500 } } });
    const deliveryId = randomUUID();
    const id = await qs.enqueue('webhook', { deliveryId, orgId: randomUUID(), requestId: 'r' });
    expect(id).toBe(`webhook-${deliveryId}`);
    const job = await qs.queue('webhook').getJob(id);
    expect(job?.opts).toMatchObject({ attempts: 7, backoff: { type: 'exponential', delay: 500 } });
    const render = await qs.queue('render').getJob(await qs.enqueue('render', page()));
    expect(render?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
    await qs.obliterate();
    await qs.close();
    await deleteKeysUnder(c, p);
    await c.quit();
  });
});

describe('obliterate', () => {
  it('leaves no key under the prefix', async () => {
    const p = prefix + '-obliterate';
    const c = connect();
    const qs = createQueues({ connection: c, prefix: p });
    await qs.enqueue('render', page());
    await qs.enqueue('maintenance', { task: 'reap' });
    await qs.schedule('reconcile', 60_000);
    expect((await keysUnder(c, p)).length).toBeGreaterThan(0);
    await qs.obliterate();
    expect(await keysUnder(c, p)).toEqual([]);
    await qs.close();
    await c.quit();
  });
});

describe('redis connection helpers', () => {
  it('defaults the URL', () => {
    expect(redisUrlOrDefault(undefined)).toBe(DEFAULT_REDIS_URL);
    expect(redisUrlOrDefault('  ')).toBe(DEFAULT_REDIS_URL);
    expect(redisUrlOrDefault('redis://example:6380')).toBe('redis://example:6380');
  });

  it('probes a live Redis and a closed port without throwing', async () => {
    expect(await probeRedis(REDIS_URL)).toBe(true);
    expect(await probeRedis('redis://127.0.0.1:1', 500)).toBe(false);
  });

  it('sets maxRetriesPerRequest to null as BullMQ requires', () => {
    expect(conn.options.maxRetriesPerRequest).toBeNull();
  });
});
