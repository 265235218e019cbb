import { randomUUID } from 'node:crypto';
import { fileProgressSchema } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import { createEventBus, createRedisConnection, type EventBus } from '@folio/queue';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, sdkFor } from '../mistral/mistral.support.ts';
import { openApiValidator, type OpenApiValidator } from '../support/openapi.validator.ts';
import { openSse } from '../support/sse.client.ts';
import { basicAuth, eventually, startStack, type Stack } from '../support/stack.ts';

/**
 * Progress on the retrieval routes and the SSE stream of `GET /v1/files/{id}/events`. No worker
 * runs: the test moves pages on in Postgres and publishes on the real Redis event bus the way
 * the workers do, so every step is deterministic.
 */
describe('file progress and its event stream', () => {
  let stack: Stack;
  let redis: Redis;
  let bus: EventBus;
  let otherKey = '';
  let otherOrgId = '';
  let openapi: OpenApiValidator;
  const auth = () => ({ authorization: `Bearer ${stack.dev.apiKey}` });
  const eventsUrl = (id: string) => `${stack.api.url}/v1/files/${id}/events`;
  const channelListeners = async (fileId: string) => {
    const [, n] = (await redis.pubsub('NUMSUB', `${stack.config.QUEUE_PREFIX}:events:file:${fileId}`)) as [string, number];
    return Number(n);
  };

  /** A Files API file with `pages` pages, as ingest leaves it. */
  const processingFile = async (pages: number, orgId = stack.dev.orgId): Promise<{ file: FileRow; pageIds: string[] }> => {
    const file = await stack.db.files.create({ orgId, filename: 'doc.pdf', purpose: 'ocr', modelId: orgId === stack.dev.orgId ? stack.dev.modelId : null });
    const rows = await stack.db.files.createPages(file.id, pages);
    await stack.db.files.markProcessing(file.id);
    return { file: (await stack.db.files.findById(file.id))!, pageIds: rows.map((p) => p.id) };
  };
  /** What recognize and its failure path do: set the page, then publish the page event. */
  const settlePage = async (fileId: string, pageId: string, outcome: 'DONE' | 'FAILED', publish = true) => {
    if (outcome === 'DONE') await stack.db.pages.savePageResult(pageId, { result: {}, predictions: [] });
    else await stack.db.pages.markFailed(pageId, 'recognize failed: the page is blank noise');
    const p = await stack.db.files.progress(fileId);
    if (publish) await bus.publish({ type: 'page', fileId, pageId, status: outcome, done: p.done + p.failed, total: p.total });
  };
  const finalize = async (fileId: string) => {
    const outcome = await stack.db.files.finalize(fileId);
    await bus.publish({ type: 'file', fileId, status: outcome!.status });
  };

  beforeAll(async () => {
    stack = await startStack({ SSE_HEARTBEAT_MS: '700' });
    redis = createRedisConnection(stack.env.REDIS_URL as string);
    bus = createEventBus(redis, stack.config.QUEUE_PREFIX);
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    otherOrgId = org.id;
    otherKey = (await stack.db.apiKeys.create(org.id)).plaintext;
    openapi = await openApiValidator(stack.api.url);
  });
  afterAll(async () => {
    await bus?.close();
    redis?.disconnect();
    await stack?.close();
  });

  it('answers 401 without a key and 404 for unknown ids and for another tenant`s file', async () => {
    const { file } = await processingFile(1, otherOrgId);
    expect((await raw(stack, 'GET', `/v1/files/${file.id}/events`, { auth: null })).status).toBe(401);
    for (const id of [randomUUID(), 'nope', file.id]) {
      const res = await raw(stack, 'GET', `/v1/files/${id}/events`);
      expect(res.status, id).toBe(404);
      expect(res.body).toMatchObject({ object: 'error', message: `File ${id} not found.` });
    }
    // Its owner gets the stream.
    const own = await openSse(eventsUrl(file.id), { authorization: `Bearer ${otherKey}` });
    expect(own.status).toBe(200);
    expect((await own.nextEvent())?.event).toBe('snapshot');
    own.abort();
  });

  it('streams snapshot, progress per finished page (failed ones with their reason), then the final event, and ends', async () => {
    const { file, pageIds } = await processingFile(3);
    const stream = await openSse(eventsUrl(file.id), auth());
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toContain('no-cache');

    const snapshot = await stream.nextEvent();
    expect(snapshot?.event).toBe('snapshot');
    expect(fileProgressSchema.parse(JSON.parse(snapshot!.data))).toEqual({
      file_id: file.id,
      status: 'processing',
      pages_total: 3,
      pages_done: 0,
      pages_failed: 0,
      failed_pages: [],
      error: null,
    });

    await settlePage(file.id, pageIds[0]!, 'DONE');
    const first = await stream.nextEvent();
    expect(first?.event).toBe('progress');
    expect(JSON.parse(first!.data)).toMatchObject({ status: 'processing', pages_done: 1, pages_failed: 0 });

    await settlePage(file.id, pageIds[2]!, 'FAILED');
    const second = await stream.nextEvent();
    expect(JSON.parse(second!.data)).toMatchObject({
      pages_done: 1,
      pages_failed: 1,
      failed_pages: [{ page_id: pageIds[2], index: 2, error: 'recognize failed: the page is blank noise' }],
    });

    await settlePage(file.id, pageIds[1]!, 'DONE');
    expect(JSON.parse((await stream.nextEvent())!.data)).toMatchObject({ pages_done: 2, pages_failed: 1 });
    await finalize(file.id);
    const final = await stream.nextEvent();
    expect(final?.event).toBe('partial');
    expect(JSON.parse(final!.data)).toMatchObject({ status: 'partial', pages_done: 2, pages_failed: 1, error: '1 of 3 pages failed' });
    expect(await stream.nextEvent()).toBeNull();
    await eventually(async () => ((await channelListeners(file.id)) === 0 ? true : undefined), 5_000, 'unsubscribed');
  });

  it('answers a finished file with its snapshot and final event at once', async () => {
    const { file, pageIds } = await processingFile(1);
    await settlePage(file.id, pageIds[0]!, 'DONE', false);
    await stack.db.files.finalize(file.id);
    const stream = await openSse(eventsUrl(file.id), auth());
    const events = [await stream.nextEvent(), await stream.nextEvent()].map((e) => [e?.event, JSON.parse(e!.data).status]);
    expect(events).toEqual([
      ['snapshot', 'complete'],
      ['complete', 'complete'],
    ]);
    expect(await stream.nextEvent()).toBeNull();
  });

  it('sends heartbeat comments, and still reports a change whose event was lost', async () => {
    const { file, pageIds } = await processingFile(2);
    const stream = await openSse(eventsUrl(file.id), auth());
    expect((await stream.next())?.kind).toBe('event');
    // Nothing published: as if the event was lost with a Redis restart.
    await settlePage(file.id, pageIds[0]!, 'DONE', false);
    const seen = [await stream.next(3_000), await stream.next(3_000)];
    expect(seen[0]).toEqual({ kind: 'comment', text: 'heartbeat' });
    expect(seen[1]).toMatchObject({ kind: 'event', event: 'progress' });
    expect(JSON.parse((seen[1] as { data: string }).data)).toMatchObject({ pages_done: 1 });
    stream.abort();
  });

  it('unsubscribes when the client hangs up, leaving no listener behind', async () => {
    const { file, pageIds } = await processingFile(2);
    const streams = await Promise.all([openSse(eventsUrl(file.id), auth()), openSse(eventsUrl(file.id), auth())]);
    for (const s of streams) expect((await s.nextEvent())?.event).toBe('snapshot');
    // One API process listens once per channel however many streams it serves.
    expect(await channelListeners(file.id)).toBe(1);
    streams[0]!.abort();
    await settlePage(file.id, pageIds[0]!, 'DONE');
    expect((await streams[1]!.nextEvent())?.event).toBe('progress');
    expect(await channelListeners(file.id)).toBe(1);
    streams[1]!.abort();
    await eventually(async () => ((await channelListeners(file.id)) === 0 ? true : undefined), 5_000, 'channel released');
    // Events for a file nobody watches any more reach no one.
    expect(await bus.publish({ type: 'page', fileId: file.id, pageId: pageIds[1]!, status: 'DONE', done: 2, total: 2 })).toBe(0);
  });

  it('ends open streams at once when the API shuts down, telling clients to reconnect in a second', async () => {
    const { file } = await processingFile(2);
    const api = await stack.spawnApi();
    const stream = await openSse(`${api.url}/v1/files/${file.id}/events`, auth());
    expect((await stream.nextEvent())?.event).toBe('snapshot');
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const rest: unknown[] = [];
    for (let m = await stream.next(5_000); m !== null; m = await stream.next(5_000)) if (!(m.kind === 'comment' && m.text === 'heartbeat')) rest.push(m);
    expect(rest).toEqual([{ kind: 'comment', text: 'shutting down' }]);
    expect(await api.exited).toBe(0);
    // The stream no longer holds the shutdown for its 10 s grace period.
    expect(Date.now() - signalled).toBeLessThan(8_000);
  }, 60_000);

  it('shows the same progress on GET /v1/files/{id} (as `processing`, SDK-compatible) and the Nanonets InferenceRequest', async () => {
    const { file, pageIds } = await processingFile(2);
    await settlePage(file.id, pageIds[1]!, 'FAILED', false);
    const files = await raw(stack, 'GET', `/v1/files/${file.id}`);
    expect(files.status).toBe(200);
    expect(openapi.check('filesRetrieve', 200, files.body)).toEqual([]);
    const progress = fileProgressSchema.parse(files.body.processing);
    expect(progress).toMatchObject({ status: 'processing', pages_total: 2, pages_done: 0, pages_failed: 1, failed_pages: [{ index: 1 }] });

    const nanonets = await fetch(`${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${file.id}`, {
      headers: { authorization: basicAuth(stack.dev.apiKey) },
    });
    const body = (await nanonets.json()) as Record<string, unknown>;
    expect(fileProgressSchema.parse(body)).toEqual(progress);

    // The official SDK parses the file object with the extra field (and drops it).
    const viaSdk = await sdkFor(stack).files.retrieve({ fileId: file.id });
    expect(viaSdk).toMatchObject({ id: file.id, filename: 'doc.pdf', deleted: false });
  });
});
