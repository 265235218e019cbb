import { makeTextPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { startOwnPostgres, type OwnPostgres } from '../../support/own-postgres.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * Postgres hangs instead of crashing: every process of a server of the test's own is frozen
 * (SIGSTOP) for longer than every timeout (pool connect 10 s, job lock, stalled check) while a
 * worker process works through a 10-page file and clients keep calling the API. Nothing may
 * answer 500, every 503 carries Retry-After, no page may fail, and the file completes after
 * SIGCONT. `FOLIO_PG_PAUSE_MS` lengthens the pause (the issue's figure is 60 s).
 */
const PAGES = 10;
const PAUSE_MS = Number(process.env['FOLIO_PG_PAUSE_MS'] ?? 25_000);

describe('Postgres paused (SIGSTOP) mid-run', () => {
  let pg: OwnPostgres;
  let stack: Stack;
  beforeAll(async () => {
    pg = await startOwnPostgres();
    stack = await startStack(
      { RECONCILE_INTERVAL_MS: '3000', RECONCILE_GRACE_MS: '3000', JOB_LOCK_MS: '5000', STALLED_CHECK_MS: '2000', RENDER_DPI: '150' },
      { databaseServerUrl: pg.serverUrl },
    );
  }, 120_000);
  afterAll(async () => {
    await pg?.resume().catch(() => undefined);
    await stack?.close();
    await pg?.destroy();
  });

  it('answers 503 with Retry-After or waits, never 500, and fails no page', async () => {
    const worker = stack.spawnWorker({ OCR_ENGINE: 'noop', RENDER_CONCURRENCY: '1', RECOGNIZE_CONCURRENCY: '1' });
    const crashed = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(`worker exited (${code ?? signal})`)));
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf(Array.from({ length: PAGES }, (_, p) => [`Paused page ${p + 1}`]), { fontSize: 16 });
    const accepted = await client.labelFile([{ name: 'paused.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    expect(accepted.status).toBe(200);
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;

    await eventually(
      async () => ((await stack.db.prisma.page.count({ where: { fileId, status: 'DONE' } })) >= 1 ? true : undefined),
      120_000,
      'the first page to be done',
    );
    const doneBefore = await stack.db.prisma.page.count({ where: { fileId, status: 'DONE' } });
    await pg.pause();
    const pausedAt = Date.now();

    // Three clients call the API in turn for the whole pause; each answer is tallied.
    const answers: Array<{ route: string; status: number; retryAfter: string | null; ms: number }> = [];
    const bearer = { authorization: `Bearer ${stack.dev.apiKey}` };
    const calls: Record<string, () => Promise<Response>> = {
      'GET /v1/files': () => fetch(`${stack.api.url}/v1/files`, { headers: bearer }),
      'GET /v1/files/{id}': () => fetch(`${stack.api.url}/v1/files/${fileId}`, { headers: bearer }),
      LabelFile: async () => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(makeTextPdf([['late']]))], { type: 'application/pdf' }), 'late.pdf');
        return fetch(`${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/?async=true`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`${stack.dev.apiKey}:`).toString('base64')}` },
          body: form,
        });
      },
    };
    const loops = Object.entries(calls).map(async ([route, call]) => {
      while (Date.now() - pausedAt < PAUSE_MS - 1_000) {
        const t = Date.now();
        const res = await call();
        await res.arrayBuffer();
        answers.push({ route, status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t });
        if (res.status !== 503) await new Promise((r) => setTimeout(r, 500));
      }
    });
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    await pg.resume();
    const resumedAt = Date.now();
    await Promise.all(loops);

    const finished = await Promise.race([
      crashed.then((why) => {
        throw new Error(why);
      }),
      eventually(
        async () => {
          const row = await stack.db.prisma.file.findUnique({ where: { id: fileId } });
          return row && ['COMPLETE', 'PARTIAL', 'FAILED'].includes(row.status) ? row : undefined;
        },
        180_000,
        'the file to finish after the pause',
      ),
    ]);
    const failedPages = await stack.db.prisma.page.count({ where: { fileId, status: 'FAILED' } });
    const byStatus = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.route} ${a.status}`]: (acc[`${a.route} ${a.status}`] ?? 0) + 1 }), {});
    const slowest = Math.max(...answers.map((a) => a.ms));
    console.info(
      `postgres pause: ${doneBefore}/${PAGES} pages done before, paused ${resumedAt - pausedAt} ms; answers ${JSON.stringify(byStatus)}, ` +
        `slowest ${slowest} ms; file ${finished.status} ${Date.now() - resumedAt} ms after SIGCONT, ${failedPages} failed pages`,
    );
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    expect(answers.filter((a) => a.status === 503 && !(Number(a.retryAfter) > 0))).toEqual([]);
    expect(answers.some((a) => a.status === 503)).toBe(true);
    expect(failedPages).toBe(0);
    expect(finished.status).toBe('COMPLETE');
  }, 360_000);
});
