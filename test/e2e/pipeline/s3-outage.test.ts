import { makeTextPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint } from '../../../apps/api/test/support/leftovers.ts';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * S3 answers errors for a while: a real HTTP proxy on loopback between every Folio process and
 * the S3 server answers 503 ServiceUnavailable (or cuts connections) on command. Uploads made
 * meanwhile are refused with 503 + Retry-After and leave neither a File row nor an object;
 * render and recognize jobs wait the outage out (without using their attempts) and every page
 * completes once S3 answers again. Engine `noop`: storage is the point, not OCR.
 */
const PAGES = 6;

describe('S3 failing for a while', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ RENDER_DPI: '150', JOB_ATTEMPTS: '2', RECONCILE_INTERVAL_MS: '3000', RECONCILE_GRACE_MS: '3000' }, { s3Proxy: true });
  }, 120_000);
  afterAll(() => stack?.close());

  it('refuses uploads cleanly with 503 while S3 fails', async () => {
    const faults = stack.s3Faults!;
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const before = await footprint(stack);
    for (const mode of ['unavailable', 'reset'] as const) {
      faults.mode = mode;
      const nanonets = await client.labelFile([{ name: 'a.pdf', bytes: makeTextPdf([['S3 is down']]), type: 'application/pdf' }], { async: true });
      expect(nanonets.status, mode).toBe(503);
      expect(nanonets.body.message).toMatch(/storage is unavailable/i);

      const form = new FormData();
      form.append('purpose', 'ocr');
      form.append('file', new Blob([Buffer.from(makeTextPdf([['S3 is down']]))], { type: 'application/pdf' }), 'b.pdf');
      const files = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
      expect(files.status, mode).toBe(503);
      expect(Number(files.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    faults.mode = 'pass';
    expect(faults.refused).toBeGreaterThan(0);
    // Nothing half-written: no row, no object (the server never saw the refused bodies).
    expect(await footprint(stack)).toEqual(before);
  });

  it('lets render and recognize wait the outage out; every page completes once S3 is back', async () => {
    const faults = stack.s3Faults!;
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const worker = stack.spawnWorker({ OCR_ENGINE: 'noop', RENDER_CONCURRENCY: '2' });
    const crashed = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(`worker exited (${code ?? signal})`)));
    const ids: string[] = [];
    for (const name of ['one', 'two']) {
      const pdf = makeTextPdf(Array.from({ length: PAGES }, (_, p) => [`${name} page ${p + 1}`]), { fontSize: 16 });
      const accepted = await client.labelFile([{ name: `${name}.pdf`, bytes: pdf, type: 'application/pdf' }], { async: true });
      expect(accepted.status).toBe(200);
      ids.push((accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id);
    }
    await eventually(
      async () => ((await stack.db.prisma.page.count({ where: { fileId: { in: ids }, status: { in: ['RENDERED', 'DONE'] } } })) >= 1 ? true : undefined),
      120_000,
      'a first page to be rendered',
    );
    faults.mode = 'unavailable';
    const refusedBefore = faults.refused;
    // The outage hits a file in flight, not one already done.
    expect(await stack.db.prisma.page.count({ where: { fileId: { in: ids }, status: 'DONE' } })).toBeLessThan(2 * PAGES);
    await new Promise((r) => setTimeout(r, 3_000));
    faults.mode = 'reset';
    await new Promise((r) => setTimeout(r, 2_000));
    faults.mode = 'pass';
    expect(faults.refused).toBeGreaterThan(refusedBefore);

    const files = await Promise.race([
      crashed.then((why) => {
        throw new Error(why);
      }),
      eventually(
        async () => {
          const rows = await stack.db.prisma.file.findMany({ where: { id: { in: ids } } });
          return rows.every((r) => ['COMPLETE', 'PARTIAL', 'FAILED'].includes(r.status)) ? rows : undefined;
        },
        120_000,
        'both files to finish after the outage',
      ),
    ]);
    expect(files.map((f) => f.status)).toEqual(['COMPLETE', 'COMPLETE']);
    for (const id of ids) {
      const pages = await stack.db.pages.listByFileWithPredictions(id);
      expect(pages.map((p) => p.status)).toEqual(Array(PAGES).fill('DONE'));
      for (const page of pages) expect(page.predictions).toHaveLength(1);
      const read = await client.inferenceFile(id);
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('complete');
    }
    // Every page has its image and the original is still there: nothing was lost to the outage.
    const keys = (await footprint(stack)).objects;
    for (const id of ids) expect(keys.filter((k) => k.includes(id))).toHaveLength(PAGES + 1);
  }, 240_000);
});
