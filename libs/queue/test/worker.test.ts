import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueues,
  createWorker,
  JOB_PRIORITY,
  UnrecoverableError,
  type FolioWorker,
  type JobData,
  type QueueName,
  type Queues,
} from '../src/index.ts';
import { connect, deleteKeysUnder, uniquePrefix, until } from './redis.helpers.ts';

const prefix = uniquePrefix('worker');
let conn: Redis;
let queues: Queues;
const workers: Array<FolioWorker<QueueName>> = [];

const page = (): JobData<'recognize'> => ({ pageId: randomUUID(), fileId: randomUUID(), orgId: randomUUID(), requestId: 'req-1' });

beforeAll(() => {
  conn = connect();
  queues = createQueues({ connection: conn, prefix, attempts: 3, backoffMs: 100 });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close({ timeoutMs: 2_000 })));
  await queues.obliterate();
});

afterAll(async () => {
  await queues.close();
  await deleteKeysUnder(conn, prefix);
  await conn.quit();
});

describe('createWorker', () => {
  it('hands the processor typed, validated data and stores the result', async () => {
    const seen: Array<JobData<'recognize'>> = [];
    workers.push(
      createWorker(
        'recognize',
        async (data, { job }) => {
          seen.push(data);
          return { words: 3, attempt: job.attemptsMade };
        },
        { connection: conn, prefix, concurrency: 2 },
      ),
    );
    const data = page();
    const id = await queues.enqueue('recognize', data);
    await until(async () => (await queues.queue('recognize').getJobState(id)) === 'completed');
    expect(seen).toEqual([data]);
    expect((await queues.queue('recognize').getJob(id))?.returnvalue).toEqual({ words: 3, attempt: 0 });
  });

  it('fails bad data at once, without retries or calling the processor', async () => {
    let called = 0;
    workers.push(createWorker('render', async () => ++called, { connection: conn, prefix }));
    // Written around enqueue (which would refuse it), as an old or foreign producer might.
    const raw = queues.queue('render') as unknown as import('bullmq').Queue<unknown, unknown, string>;
    await raw.add('render', { pageId: 'not a valid id!', fileId: 7 }, { jobId: 'render-bad', attempts: 3, backoff: 10 });
    await until(async () => (await raw.getJobState('render-bad')) === 'failed');
    const job = await raw.getJob('render-bad');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/invalid render job data/);
    expect(job?.failedReason).toMatch(/pageId/);
    expect(called).toBe(0);
  });

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    const times: number[] = [];
    workers.push(
      createWorker(
        'ingest',
        async () => {
          times.push(Date.now());
          if (times.length < 3) throw new Error('S3 blip');
          return 'ok';
        },
        { connection: conn, prefix },
      ),
    );
    const id = await queues.enqueue('ingest', { fileId: randomUUID(), orgId: randomUUID(), requestId: 'r' });
    await until(async () => (await queues.queue('ingest').getJobState(id)) === 'completed');
    expect(times).toHaveLength(3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    // 100 ms then 200 ms, each shortened by at most 20 % jitter.
    expect(t1 - t0).toBeGreaterThanOrEqual(80);
    expect(t2 - t1).toBeGreaterThanOrEqual(160);
    expect((await queues.queue('ingest').getJob(id))?.attemptsMade).toBe(3);
  });

  it('gives up after JOB_ATTEMPTS, and UnrecoverableError stops at once', async () => {
    let runs = 0;
    workers.push(
      createWorker(
        'finalize',
        async (data) => {
          runs++;
          if (data.requestId === 'permanent') throw new UnrecoverableError('encrypted PDF');
          throw new Error('always failing');
        },
        { connection: conn, prefix },
      ),
    );
    const a = await queues.enqueue('finalize', { fileId: randomUUID(), orgId: randomUUID(), requestId: 'transient' });
    const b = await queues.enqueue('finalize', { fileId: randomUUID(), orgId: randomUUID(), requestId: 'permanent' });
    await until(async () => (await queues.queue('finalize').getJobState(a)) === 'failed');
    await until(async () => (await queues.queue('finalize').getJobState(b)) === 'failed');
    expect((await queues.queue('finalize').getJob(a))?.attemptsMade).toBe(3);
    expect((await queues.queue('finalize').getJob(b))?.attemptsMade).toBe(1);
    expect(runs).toBe(4);
  });

  it('puts a job that hit an outage back, delayed, without using an attempt', async () => {
    class Outage extends Error {}
    const times: number[] = [];
    const seen: Array<{ delayMs: number; outageMs: number }> = [];
    workers.push(
      createWorker(
        'ingest',
        async () => {
          times.push(Date.now());
          // Five outage errors: more than JOB_ATTEMPTS (3), yet the job must not fail.
          if (times.length <= 5) throw new Outage('database unreachable');
          return 'ok';
        },
        { connection: conn, prefix, isTransient: (e) => e instanceof Outage, transientDelayMs: 50, transientMaxDelayMs: 400, onTransient: (_e, _j, info) => seen.push(info) },
      ),
    );
    const id = await queues.enqueue('ingest', { fileId: randomUUID(), orgId: randomUUID(), requestId: 'r' });
    await until(async () => (await queues.queue('ingest').getJobState(id)) === 'completed');
    expect(times).toHaveLength(6);
    // Only the run that succeeded counts (BullMQ counts a completion as an attempt).
    expect((await queues.queue('ingest').getJob(id))?.attemptsMade).toBe(1);
    expect(seen[0]?.outageMs).toBe(0);
    // The delay grows with the outage (half its length so far), within the bounds.
    for (const s of seen) expect(s.delayMs).toBeGreaterThanOrEqual(50);
    for (const s of seen) expect(s.delayMs).toBeLessThanOrEqual(480);
    expect(seen.at(-1)!.delayMs).toBeGreaterThan(seen[0]!.delayMs);
  });

  it('serves high priority before normal before low, whatever the order added', async () => {
    const order: string[] = [];
    const add = (tag: string, priority?: number) =>
      queues.enqueue('render', { ...page(), requestId: tag }, priority === undefined ? {} : { priority });
    await add('normal-1');
    await add('low', JOB_PRIORITY.low);
    await add('normal-2');
    await add('high-1', JOB_PRIORITY.high);
    await add('high-2', JOB_PRIORITY.high);
    workers.push(
      createWorker(
        'render',
        async (data) => {
          order.push(data.requestId);
        },
        { connection: conn, prefix, concurrency: 1 },
      ),
    );
    await until(() => order.length === 5);
    expect(order).toEqual(['high-1', 'high-2', 'normal-1', 'normal-2', 'low']);
  });

  it('close() waits for the active job to finish', async () => {
    let finished = false;
    let started = false;
    const w = createWorker(
      'recognize',
      async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
      },
      { connection: conn, prefix },
    );
    const id = await queues.enqueue('recognize', page());
    await until(() => started);
    await w.close();
    expect(finished).toBe(true);
    expect(await queues.queue('recognize').getJobState(id)).toBe('completed');
  });

  it('close({ timeoutMs }) aborts a job that will not finish, and another worker gets it', async () => {
    let aborted = false;
    let started = false;
    const w = createWorker(
      'recognize',
      async (_data, { signal }) => {
        started = true;
        await new Promise<void>((resolve) => signal?.addEventListener('abort', () => ((aborted = true), resolve()), { once: true }));
        throw new Error('aborted');
      },
      { connection: conn, prefix, lockDurationMs: 1_000, stalledIntervalMs: 500 },
    );
    const id = await queues.enqueue('recognize', page());
    await until(() => started);
    const t0 = Date.now();
    await w.close({ timeoutMs: 200 });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(aborted).toBe(true);
    let rerun = false;
    workers.push(
      createWorker(
        'recognize',
        async () => {
          rerun = true;
        },
        { connection: conn, prefix, lockDurationMs: 1_000, stalledIntervalMs: 500 },
      ),
    );
    await until(async () => (await queues.queue('recognize').getJobState(id)) === 'completed');
    expect(rerun).toBe(true);
  });

  it('runs scheduled maintenance tasks with typed data', async () => {
    const tasks: string[] = [];
    workers.push(
      createWorker(
        'maintenance',
        async (data) => {
          tasks.push(data.task);
        },
        { connection: conn, prefix },
      ),
    );
    await queues.schedule('reconcile', 100);
    await queues.schedule('reconcile', 100); // idempotent
    await until(() => tasks.length >= 3);
    await queues.unschedule('reconcile');
    expect(new Set(tasks)).toEqual(new Set(['reconcile']));
  });
});
