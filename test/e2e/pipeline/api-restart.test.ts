import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { createQueues, createRedisConnection, type Queues } from '@folio/queue';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, eventually, startStack, type SpawnedApi, type Stack } from '../../support/stack.ts';

/**
 * The API process restarts while sync requests wait for their results. The API runs as a real
 * child process; a worker (noop engine) runs beside it. The recognize queue is paused (BullMQ's
 * global pause, as an operator would) so the requests are certainly still waiting when the API
 * goes down, then resumed once a new API is up.
 * - SIGTERM: waiting requests answer at once with the ids to poll (Nanonets: 202 with its
 *   `request_file_id`s; NIM: 503 + Retry-After naming the file id), the process exits 0.
 * - kill -9: the clients see the connection cut, nothing else.
 * Either way the work completes and the new API serves it by id.
 */

const FINAL = ['COMPLETE', 'PARTIAL', 'FAILED'];

describe('the API restarting while sync requests wait', () => {
  let stack: Stack;
  let redis: Redis;
  let queues: Queues;
  let pngDataUrl = '';
  let pdf: Uint8Array;

  beforeAll(async () => {
    // TEXT_LAYER=off: the noop engine's answer shows each page went through recognize.
    stack = await startStack({ TEXT_LAYER: 'off', SYNC_TIMEOUT_MS: '60000', RENDER_DPI: '150' });
    await stack.startWorker({ OCR_ENGINE: 'noop' });
    redis = createRedisConnection(stack.env.REDIS_URL as string);
    queues = createQueues({ connection: redis, prefix: stack.env.QUEUE_PREFIX as string });
    pngDataUrl = `data:image/png;base64,${Buffer.from(await makeTextPng(['Restart me'])).toString('base64')}`;
    pdf = makeTextPdf([['Sync request across a restart']]);
  }, 120_000);
  afterAll(async () => {
    await queues?.queue('recognize').resume();
    await queues?.close();
    redis?.disconnect();
    await stack?.close();
  });

  /** Sends one Nanonets sync LabelFile and one NIM /v1/infer to `api`; neither is awaited. */
  function sendSync(api: SpawnedApi) {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'sync.pdf');
    const nanonets = fetch(`${api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/`, {
      method: 'POST',
      body: form,
      headers: { authorization: basicAuth(stack.dev.apiKey) },
    });
    const nim = fetch(`${api.url}/v1/infer`, {
      method: 'POST',
      body: JSON.stringify({ input: [{ type: 'image_url', url: pngDataUrl }] }),
      headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
    });
    return { nanonets, nim };
  }

  /** Ids of files created since `since` once `count` of them are being processed (waiting on recognize). */
  const waitingFiles = (since: Date, count: number) =>
    eventually(
      async () => {
        const rows = await stack.db.prisma.file.findMany({ where: { createdAt: { gte: since }, status: 'PROCESSING' }, orderBy: { createdAt: 'asc' } });
        return rows.length === count ? rows : undefined;
      },
      60_000,
      `${count} sync files to be waiting`,
    );

  const finishedOn = (api: SpawnedApi, nanonetsId: string, nimId: string) =>
    eventually(
      async () => {
        const n = await fetch(`${api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${nanonetsId}`, { headers: { authorization: basicAuth(stack.dev.apiKey) } });
        const body = (await n.json()) as { status: string; unmoderated_images: Array<{ predicted_boxes: Array<{ ocr_text: string }> }> };
        if (body.status !== 'complete') return undefined;
        // The NIM input is polled through the Files API, as the 503 says.
        const m = await fetch(`${api.url}/v1/files/${nimId}/ocr`, {
          method: 'POST',
          body: '{}',
          headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
        });
        if (m.status !== 200) return undefined;
        return { nanonets: body, nim: (await m.json()) as { pages: Array<{ markdown: string }> } };
      },
      60_000,
      'both requests to be served by the new API',
    );

  it('SIGTERM: waiting requests get the ids to poll; a new API serves the results', async () => {
    const first = await stack.spawnApi();
    await queues.queue('recognize').pause();
    const since = new Date();
    const sent = sendSync(first);
    const rows = await waitingFiles(since, 2);
    const nanonetsFile = rows.find((r) => r.purpose !== 'nim')!;
    const nimFile = rows.find((r) => r.purpose === 'nim')!;

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    const [nanonets, nim] = await Promise.all([sent.nanonets, sent.nim]);
    expect(Date.now() - signalled).toBeLessThan(10_000);

    expect(nanonets.status).toBe(202);
    const pending = (await nanonets.json()) as { message: string; result: Array<{ request_file_id: string }> };
    expect(pending.message).toMatch(/restarting/);
    expect(pending.result.map((r) => r.request_file_id)).toEqual([nanonetsFile.id]);

    expect(nim.status).toBe(503);
    expect(Number(nim.headers.get('retry-after'))).toBeGreaterThan(0);
    const nimError = (await nim.json()) as { error: string };
    expect(nimError.error).toMatch(/restarting/);
    expect(nimError.error).toContain(nimFile.id);
    expect(await first.exited).toBe(0);

    const second = await stack.spawnApi();
    await queues.queue('recognize').resume();
    const served = await finishedOn(second, nanonetsFile.id, nimFile.id);
    expect(served.nanonets.unmoderated_images[0]!.predicted_boxes.map((b) => b.ocr_text)).toEqual(['noop']);
    expect(served.nim.pages[0]!.markdown).toContain('noop');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);

  it('kill -9: the clients see the connection cut; the work completes and a new API serves it', async () => {
    const doomed = await stack.spawnApi();
    await queues.queue('recognize').pause();
    const since = new Date();
    const sent = sendSync(doomed);
    const rows = await waitingFiles(since, 2);
    doomed.child.kill('SIGKILL');
    // Both handled at once: awaiting one while the other is cut would leave its rejection unhandled.
    const errors = (await Promise.all(
      [sent.nanonets, sent.nim].map((request) =>
        request.then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    )) as Array<(Error & { cause?: { code?: string } }) | null>;
    for (const err of errors) {
      // undici reports the cut connection as "fetch failed" with the socket error as its cause.
      expect(err?.message).toBe('fetch failed');
      expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(err?.cause?.code);
    }
    expect(await doomed.exited).toBe('SIGKILL');

    await queues.queue('recognize').resume();
    await eventually(
      async () => {
        const now = await stack.db.prisma.file.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
        return now.every((f) => FINAL.includes(f.status)) ? true : undefined;
      },
      60_000,
      'the orphaned sync files to finish',
    );
    const next = await stack.spawnApi();
    const nanonetsFile = rows.find((r) => r.purpose !== 'nim')!;
    const nimFile = rows.find((r) => r.purpose === 'nim')!;
    const served = await finishedOn(next, nanonetsFile.id, nimFile.id);
    expect(served.nanonets.unmoderated_images).toHaveLength(1);
    expect(served.nim.pages).toHaveLength(1);
  }, 240_000);
});
