import { makeTextPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnRedis, type OwnRedis } from '../../support/own-redis.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * Redis hangs instead of crashing: a redis-server of the test's own is frozen (SIGSTOP) while
 * clients upload. Requests that must enqueue answer 503 with Retry-After within the command
 * timeout instead of hanging for the whole outage, and leave nothing behind (no file row, no
 * object); after SIGCONT every accepted file completes exactly once and uploads work again.
 */
const COMMAND_TIMEOUT_MS = 1_000;
const PAUSE_MS = 10_000;

describe('Redis paused (SIGSTOP) while the API enqueues', () => {
  let redis: OwnRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startOwnRedis();
    stack = await startStack({
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      OCR_ENGINE: 'noop',
      RECONCILE_INTERVAL_MS: '2000',
      RECONCILE_GRACE_MS: '2000',
      INGEST_WAIT_MS: '500',
      // The 503s are expected; their warnings would bury the figures.
      LOG_LEVEL: 'error',
    });
    await stack.startWorker();
  }, 120_000);
  afterAll(async () => {
    redis?.resume();
    await stack?.close();
    await redis?.destroy();
  });

  const bearer = () => ({ authorization: `Bearer ${stack.dev.apiKey}` });
  const pdf = makeTextPdf([['Enqueued during a Redis pause']]);
  /** Async uploads in two dialects: Mistral's Files API and Nanonets' LabelFile. */
  const uploads: Record<string, () => Promise<Response>> = {
    'POST /v1/files': () => {
      const form = new FormData();
      form.append('purpose', 'ocr');
      form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'paused.pdf');
      return fetch(`${stack.api.url}/v1/files`, { method: 'POST', headers: bearer(), body: form });
    },
    LabelFile: () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'paused.pdf');
      return fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/?async=true`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${stack.dev.apiKey}:`).toString('base64')}` },
        body: form,
      });
    },
  };

  it('answers 503 + Retry-After within the command timeout, keeps nothing of refused uploads, and loses or repeats no job', async () => {
    // Before: both routes accept (and the event-bus subscriber exists, as in a running API).
    for (const upload of Object.values(uploads)) expect((await upload()).status).toBe(200);
    const filesBefore = await stack.db.prisma.file.count();

    redis.pause();
    const pausedAt = Date.now();
    const answers: Array<{ route: string; status: number; retryAfter: string | null; ms: number; body: string }> = [];
    await Promise.all(
      Object.entries(uploads).map(async ([route, upload]) => {
        while (Date.now() - pausedAt < PAUSE_MS - 3_000) {
          const t = Date.now();
          const res = await upload();
          answers.push({ route, status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t, body: await res.text() });
        }
      }),
    );
    // Nothing the refused requests stored is left (rows or objects), checked while Redis is still frozen.
    const filesDuring = await stack.db.prisma.file.count();
    await new Promise((r) => setTimeout(r, Math.max(0, PAUSE_MS - (Date.now() - pausedAt))));
    redis.resume();
    const resumedAt = Date.now();

    const slowest = Math.max(...answers.map((a) => a.ms));
    const byStatus = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.route} ${a.status}`]: (acc[`${a.route} ${a.status}`] ?? 0) + 1 }), {});
    expect(answers.length).toBeGreaterThan(2);
    expect(answers.filter((a) => a.status !== 503), JSON.stringify(answers.filter((a) => a.status !== 503))).toEqual([]);
    expect(answers.filter((a) => !(Number(a.retryAfter) > 0))).toEqual([]);
    expect(answers.every((a) => /queue is unavailable/i.test(a.body))).toBe(true);
    // Bounded by the command timeout (plus the rest of the request), not by the outage.
    expect(slowest).toBeLessThan(COMMAND_TIMEOUT_MS + 4_000);
    expect(filesDuring).toBe(filesBefore);

    // After: uploads are accepted again, and every accepted file completes with its one page, once.
    for (const upload of Object.values(uploads)) expect((await upload()).status).toBe(200);
    const files = await stack.db.prisma.file.findMany();
    expect(files.length).toBe(filesBefore + 2);
    await eventually(
      async () => ((await stack.db.prisma.file.count({ where: { status: 'COMPLETE' } })) === files.length ? true : undefined),
      120_000,
      'every accepted file to complete',
    );
    const pages = await stack.db.prisma.page.groupBy({ by: ['fileId'], _count: { _all: true } });
    expect(pages.map((p) => p._count._all)).toEqual(files.map(() => 1));
    const ingested = await Promise.all(files.map((f) => stack.db.prisma.page.count({ where: { fileId: f.id, status: 'DONE' } })));
    expect(ingested).toEqual(files.map(() => 1));
    console.info(
      `redis pause: ${PAUSE_MS} ms; answers ${JSON.stringify(byStatus)}, slowest ${slowest} ms; ${files.length} accepted files COMPLETE ` +
        `${Date.now() - resumedAt} ms after SIGCONT; files stored by refused requests: ${filesDuring - filesBefore}`,
    );
  }, 240_000);
});
