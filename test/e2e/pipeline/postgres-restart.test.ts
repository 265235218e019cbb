import { predictionsFromPage, ocrPageSchema } from '@folio/contracts';
import { makeTextPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint } from '../../../apps/api/test/support/leftovers.ts';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { startOwnPostgres, type OwnPostgres } from '../../support/own-postgres.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * Postgres goes away mid-run and comes back: a server of the test's own (never the shared one)
 * is stopped with a fast shutdown (connections cut) for a few seconds while a worker process
 * renders and recognizes. The worker puts jobs back without using their attempts, the API
 * answers 503 with Retry-After, and once Postgres is back every file completes with each page's
 * predictions written exactly once. The engine is `noop` (one word per page): the database is
 * the point here, not OCR.
 */
const FILES = 3;
const PAGES = 8;
const OUTAGE_MS = 5_000;

describe('Postgres restarting mid-run', () => {
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
    await stack?.close();
    await pg?.destroy();
  });

  it('is waited out: 503 with Retry-After while down, every file completes once it is back', async () => {
    const t0 = Date.now();
    // Started first: a child process takes a while to load, and uploads need no worker.
    const worker = stack.spawnWorker({ OCR_ENGINE: 'noop', RENDER_CONCURRENCY: '2' });
    const crashed = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(`worker exited (${code ?? signal})`)));
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const ids: string[] = [];
    for (let f = 0; f < FILES; f++) {
      const pdf = makeTextPdf(Array.from({ length: PAGES }, (_, p) => [`File ${f} page ${p + 1}`]), { fontSize: 16 });
      const accepted = await client.labelFile([{ name: `f${f}.pdf`, bytes: pdf, type: 'application/pdf' }], { async: true });
      expect(accepted.status).toBe(200);
      ids.push((accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id);
    }

    // Stop Postgres once the worker is well into the pages, before it is done with them.
    const doneBefore = await eventually(
      async () => {
        const done = await stack.db.prisma.page.count({ where: { status: 'DONE' } });
        return done >= 2 ? done : undefined;
      },
      120_000,
      'the first pages to be done',
    );
    const uploadedToDone = Date.now() - t0;
    await pg.stop();
    const stoppedAt = Date.now();

    // The API, meanwhile: 503 with Retry-After on reads and uploads, nothing half-stored.
    const read = await fetch(`${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${ids[0]}`, {
      headers: { authorization: `Basic ${Buffer.from(`${stack.dev.apiKey}:`).toString('base64')}` },
    });
    expect(read.status).toBe(503);
    expect(Number(read.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await read.json()) as { message: string }).message).toMatch(/database is unavailable/i);
    const upload = await client.labelFile([{ name: 'late.pdf', bytes: makeTextPdf([['late']]), type: 'application/pdf' }], { async: true });
    expect(upload.status).toBe(503);
    const files = await fetch(`${stack.api.url}/v1/files`, { headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
    expect(files.status).toBe(503);
    expect(files.headers.get('retry-after')).not.toBeNull();
    const ready = await fetch(`${stack.api.url}/v1/health/ready`);
    expect(ready.status).toBe(503);

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    await pg.start();
    const restartedAt = Date.now();

    const finished = await Promise.race([
      crashed.then((why) => {
        throw new Error(why);
      }),
      eventually(
        async () => {
          const rows = await stack.db.prisma.file.findMany({ where: { id: { in: ids } } });
          return rows.length === FILES && rows.every((r) => ['COMPLETE', 'PARTIAL', 'FAILED'].includes(r.status)) ? rows : undefined;
        },
        120_000,
        'every file to finish after the restart',
      ),
    ]);
    console.info(
      `postgres restart: ${doneBefore} pages done after ${uploadedToDone} ms, down ${restartedAt - stoppedAt} ms, ` +
        `all ${FILES * PAGES} pages done ${Date.now() - restartedAt} ms after the restart`,
    );
    expect(finished.map((f) => f.status)).toEqual(Array(FILES).fill('COMPLETE'));
    expect(doneBefore).toBeLessThan(FILES * PAGES);

    for (const id of ids) {
      const pages = await stack.db.pages.listByFileWithPredictions(id);
      expect(pages).toHaveLength(PAGES);
      for (const page of pages) {
        expect(page.status).toBe('DONE');
        const expected = predictionsFromPage(ocrPageSchema.parse(page.result), page.index).length;
        // No DONE page without its predictions, and none written twice.
        expect(expected).toBeGreaterThan(0);
        expect(page.predictions).toHaveLength(expected);
      }
    }
    // The refused upload left neither a row nor an object: only the three files are stored.
    const after = await footprint(stack);
    expect(after.files).toBe(FILES);
    expect(after.objects.filter((k) => k.endsWith('/original'))).toHaveLength(FILES);
    expect((await fetch(`${stack.api.url}/v1/health/ready`)).status).not.toBe(500);
  }, 240_000);
});
