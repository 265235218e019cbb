import { randomBytes, randomUUID } from 'node:crypto';
import { signLegacyWebhookPayload, standardWebhookSecret, verifyWebhookSignature, webhookPayloadSchema, type WebhookPayload } from '@folio/contracts';
import { makeTextPng } from '@folio/documents/testing';
import { createQueues, createRedisConnection, type Queues } from '@folio/queue';
import type { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../../../apps/api/test/mistral/mistral.support.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { startFileServer, type FileServer } from '../../../apps/api/test/support/file-server.ts';
import { nanonetsHttp } from '../../../apps/api/test/support/nanonets.http.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';

type Json = Record<string, unknown>;

/**
 * Webhooks end to end: endpoints through the API, a real worker (no-op engine: the OCR text is
 * not what is under test) finalizing files, deliveries POSTed to a receiver on loopback.
 */
describe('webhooks', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let origin: FileServer;
  let redis: Redis;
  let queues: Queues;
  let otherKey = '';
  const secrets = new Map<string, string>();
  const ids = new Map<string, string>();
  let png: Uint8Array;
  let openapi: OpenApiValidator;

  const api = (method: string, path: string, init: Parameters<typeof raw>[3] = {}) => raw(stack, method, path, init);
  const deliveries = (endpointId: string) => stack.db.prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: 'asc' } });
  const create = async (name: string, body: Json) => {
    const res = await api('POST', '/v1/webhooks', { json: body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.set(name, res.body.id as string);
    secrets.set(name, res.body.secret as string);
    return res.body;
  };
  /** Uploads a one-page PNG through the Files API (async) and waits for its final status. */
  const uploadAndFinish = async (metadata?: string) => {
    const form = new FormData();
    form.append('purpose', 'ocr');
    form.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'scan.png');
    const res = await api('POST', '/v1/files', { body: form });
    expect(res.status).toBe(200);
    const id = res.body.id as string;
    if (metadata) await stack.db.files.update(id, { requestMetadata: metadata });
    await eventually(async () => ((await stack.db.files.findById(id))?.status === 'COMPLETE' ? true : undefined), 60_000, 'file COMPLETE');
    return id;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ '/flaky': [500, 500, 200], '/down': [503] });
    const corrupt = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nnot a pdf body\n%%EOF\n');
    origin = await startFileServer({
      '/corrupt.pdf': { body: corrupt, type: 'application/pdf' },
      // Answers after the API stopped waiting for ingest (INGEST_WAIT_MS below).
      '/slow-corrupt.pdf': { body: corrupt, type: 'application/pdf', delayMs: 12_000 },
    });
    stack = await startStack({ URL_ALLOW_PRIVATE: '127.0.0.0/8', OCR_ENGINE: 'noop', WEBHOOK_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '100',
      INGEST_WAIT_MS: '8000',
      LOG_LEVEL: 'error',
      RECONCILE_INTERVAL_MS: '1000',
      RECONCILE_GRACE_MS: '1000',
    });
    await stack.startWorker();
    redis = createRedisConnection(stack.env.REDIS_URL as string);
    queues = createQueues({ connection: redis, prefix: stack.config.QUEUE_PREFIX });
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    otherKey = (await stack.db.apiKeys.create(org.id)).plaintext;
    png = await makeTextPng(['Webhook test page']);
    openapi = await openApiValidator(stack.api.url);
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    await stack?.close();
    await receiver?.close();
    await origin?.close();
  });

  it('creates endpoints (secret shown once), lists them without secrets, per organization', async () => {
    const ok = await create('ok', { url: receiver.url('/ok') });
    expect(ok).toMatchObject({ object: 'webhook_endpoint', url: receiver.url('/ok'), active: true, events: ['file.complete', 'file.partial', 'file.failed'] });
    expect(ok.secret).toMatch(/^whsec_/);
    expect(openapi.check('webhooksCreate', 201, ok)).toEqual([]);
    await create('flaky', { url: receiver.url('/flaky'), events: ['file.complete'] });
    await create('down', { url: receiver.url('/down'), events: ['file.complete', 'file.complete'] });
    await create('partialOnly', { url: receiver.url('/partial-only'), events: ['file.partial'] });

    const list = await api('GET', '/v1/webhooks');
    expect(list.status).toBe(200);
    expect(openapi.check('webhooksList', 200, list.body)).toEqual([]);
    const data = list.body.data as Json[];
    expect(data.map((e) => e.id)).toEqual(['partialOnly', 'down', 'flaky', 'ok'].map((n) => ids.get(n)));
    expect(data.every((e) => !('secret' in e))).toBe(true);
    expect(data.find((e) => e.id === ids.get('down'))?.events).toEqual(['file.complete']);

    const theirs = await api('GET', '/v1/webhooks', { auth: `Bearer ${otherKey}` });
    expect(theirs.body).toEqual({ object: 'list', data: [] });
  });

  it('refuses bad input with 400 and stores nothing', async () => {
    const before = await stack.db.prisma.webhookEndpoint.count();
    const bad: Array<[unknown, RegExp]> = [
      [{ url: 'ftp://example.com/hook' }, /only http and https/],
      [{ url: 'not a url' }, /not a valid absolute URL/],
      [{ url: 'http://10.1.2.3/hook' }, /private/],
      [{ url: 'http://user:pw@example.com/hook' }, /credentials/],
      [{ url: receiver.url('/ok'), events: ['file.done'] }, /events/],
      [{ url: receiver.url('/ok'), events: 'file.complete' }, /events/],
      [{ url: receiver.url('/ok'), secret: 'mine' }, /secret/],
      [{}, /url/],
    ];
    for (const [body, message] of bad) {
      const res = await api('POST', '/v1/webhooks', { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body.error as Json).message).toMatch(message);
      expect(openapi.check('webhooksCreate', 400, res.body)).toEqual([]);
    }
    const notJson = await api('POST', '/v1/webhooks', { body: '{"url":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect((await api('POST', '/v1/webhooks', { json: { url: receiver.url('/ok') }, auth: null })).status).toBe(401);
    expect(await stack.db.prisma.webhookEndpoint.count()).toBe(before);
  });

  it('signs and delivers file.complete; retries 500s (one delivered record, attempts=3); gives up FAILED after the last attempt', async () => {
    const fileId = await uploadAndFinish('order-42');
    const final = await eventually(
      async () => {
        const rows = await stack.db.prisma.webhookDelivery.findMany({ where: { fileId } });
        return rows.length === 3 && rows.every((r) => r.status !== 'PENDING') ? rows : undefined;
      },
      30_000,
      'three settled deliveries',
    );
    expect(final.map((r) => r.endpointId).sort()).toEqual([ids.get('ok'), ids.get('flaky'), ids.get('down')].sort());

    const [hook] = receiver.received('/ok');
    expect(receiver.received('/ok')).toHaveLength(1);
    expect(verifyWebhookSignature(secrets.get('ok')!, hook!.headers, hook!.body, 300)).toBe(true);
    expect(verifyWebhookSignature(secrets.get('flaky')!, hook!.headers, hook!.body, 300)).toBe(false);
    const payload: WebhookPayload = webhookPayloadSchema.parse(JSON.parse(hook!.body));
    expect(openapi.checkWebhook('file.complete', JSON.parse(hook!.body))).toEqual([]);
    const okRow = final.find((r) => r.endpointId === ids.get('ok'))!;
    expect(payload).toEqual({
      id: okRow.id,
      event: 'file.complete',
      created_at: Math.floor(okRow.createdAt.getTime() / 1000),
      data: { file_id: fileId, status: 'complete', pages_total: 1, pages_done: 1, pages_failed: 0, request_metadata: 'order-42', error: null },
    });
    expect(hook!.headers).toMatchObject({ 'folio-event': 'file.complete', 'webhook-id': okRow.id, 'content-type': 'application/json' });
    expect(hook!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // New endpoints get only the Standard Webhooks headers, verified by that project's own library.
    expect(hook!.headers['folio-signature']).toBeUndefined();
    expect(secrets.get('ok')).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secrets.get('ok')!).verify(hook!.body, hook!.headers as Record<string, string>)).toEqual(JSON.parse(hook!.body));
    expect(() => new Webhook(secrets.get('flaky')!).verify(hook!.body, hook!.headers as Record<string, string>)).toThrow();
    expect(okRow).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null });

    expect(receiver.received('/flaky').map((h) => h.answered)).toEqual([500, 500, 200]);
    expect(final.find((r) => r.endpointId === ids.get('flaky'))).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200, deliveredAt: expect.any(Date) });
    // Every retry is signed afresh over the same body.
    const flakyBodies = receiver.received('/flaky').map((h) => h.body);
    expect(new Set(flakyBodies).size).toBe(1);
    for (const h of receiver.received('/flaky')) expect(verifyWebhookSignature(secrets.get('flaky')!, h.headers, h.body)).toBe(true);
    expect(new Set(receiver.received('/flaky').map((h) => h.headers['webhook-id'])).size).toBe(1);

    expect(receiver.received('/down')).toHaveLength(3);
    expect(final.find((r) => r.endpointId === ids.get('down'))).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      lastStatusCode: 503,
      lastError: expect.stringContaining('HTTP 503'),
      deliveredAt: null,
      nextAttemptAt: null,
    });
    expect(receiver.received('/partial-only')).toHaveLength(0);

    // The log through the API, newest first, filterable.
    const log = await api('GET', `/v1/webhooks/${ids.get('flaky')}/deliveries`);
    expect(log.status).toBe(200);
    expect(openapi.check('webhooksDeliveries', 200, log.body)).toEqual([]);
    expect(log.body.data).toEqual([
      expect.objectContaining({ object: 'webhook_delivery', file_id: fileId, event: 'file.complete', status: 'delivered', attempts: 3, last_status_code: 200 }),
    ]);
    const failedOnly = await api('GET', `/v1/webhooks/${ids.get('down')}/deliveries?status=failed&limit=5`);
    expect((failedOnly.body.data as Json[]).map((d) => d.status)).toEqual(['failed']);
    expect((await api('GET', `/v1/webhooks/${ids.get('down')}/deliveries?status=lost`)).status).toBe(400);

    // A finalize run again (retry, reconciler) sends nothing twice.
    await queues.enqueue('finalize', { fileId, orgId: stack.dev.orgId, requestId: 'again' }, { replaceFinished: true });
    await eventually(async () => ((await queues.jobState('finalize', fileId)) === 'completed' ? true : undefined), 20_000, 'finalize re-run');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.db.prisma.webhookDelivery.count({ where: { fileId } })).toBe(3);
    expect(receiver.received('/ok')).toHaveLength(1);
    expect(receiver.received('/flaky')).toHaveLength(3);
  });

  it('announces PARTIAL and FAILED files to the endpoints subscribed to them', async () => {
    /** A file finalized from pages set by hand: `done` pages DONE, the rest FAILED. */
    const finalizeWith = async (pages: number, done: number) => {
      const file = await stack.db.files.create({ orgId: stack.dev.orgId, filename: 'made.pdf' });
      const rows = await stack.db.files.createPages(file.id, pages);
      await stack.db.files.markProcessing(file.id);
      for (const [i, page] of rows.entries()) {
        if (i < done) await stack.db.pages.savePageResult(page.id, { result: {}, predictions: [] });
        else await stack.db.pages.markFailed(page.id, 'recognize failed: test');
      }
      await queues.enqueue('finalize', { fileId: file.id, orgId: stack.dev.orgId, requestId: 'test' });
      return file.id;
    };
    const partial = await finalizeWith(2, 1);
    const failed = await finalizeWith(1, 0);
    await eventually(
      async () => (receiver.received('/partial-only').length === 1 && receiver.received('/ok').length === 3 ? true : undefined),
      20_000,
      'partial and failed deliveries',
    );
    const okEvents = receiver.received('/ok').map((h) => webhookPayloadSchema.parse(JSON.parse(h.body)));
    expect(okEvents.slice(1).map((p) => [p.event, p.data.file_id, p.data.pages_done, p.data.pages_failed]).sort()).toEqual(
      [
        ['file.failed', failed, 0, 1],
        ['file.partial', partial, 1, 1],
      ].sort(),
    );
    expect(okEvents.find((p) => p.data.file_id === failed)?.data.error).toEqual({ code: 'pages_failed', message: '1 of 1 pages failed' });
    const [partialHook] = receiver.received('/partial-only');
    expect(JSON.parse(partialHook!.body)).toMatchObject({ event: 'file.partial', data: { file_id: partial, status: 'partial' } });
    expect(verifyWebhookSignature(secrets.get('partialOnly')!, partialHook!.headers, partialHook!.body)).toBe(true);
  });

  it('checks the URL again when delivering: an endpoint now resolving to a private address fails at once', async () => {
    // Written straight to the table: the API would have refused this URL at creation.
    const endpoint = await stack.db.webhooks.createEndpoint({ orgId: stack.dev.orgId, url: 'http://10.255.255.1/hook', secret: 'whsec_x', events: ['file.complete'] });
    const fileId = await uploadAndFinish();
    const row = await eventually(
      async () => {
        const [d] = await deliveries(endpoint.id);
        return d && d.status !== 'PENDING' ? d : undefined;
      },
      20_000,
      'refused delivery',
    );
    expect(row).toMatchObject({ fileId, status: 'FAILED', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/private/) });
    await stack.db.webhooks.deleteEndpoint(endpoint.id, stack.dev.orgId);
  });

  it("never posts to Folio's own storage: refused at creation, and a stored endpoint there fails at once", async () => {
    const storage = stack.env.S3_ENDPOINT as string;
    // URL_ALLOW_PRIVATE covers loopback here, so only the storage rule stands between these and S3.
    for (const url of [`${storage}/folio/orgs/x/hook`, `${storage}/`, storage.replace('127.0.0.1', 'localhost') + '/folio']) {
      const res = await api('POST', '/v1/webhooks', { json: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error as Json, url).toMatchObject({ reason: 'url_forbidden_address', message: expect.stringMatching(/own storage/) });
    }
    // Written straight to the table (as if created before this rule): the worker checks after DNS.
    const endpoint = await stack.db.webhooks.createEndpoint({ orgId: stack.dev.orgId, url: `${storage}/folio/hook`, secret: 'whsec_x', events: ['file.complete'] });
    const fileId = await uploadAndFinish();
    const row = await eventually(
      async () => {
        const [d] = await deliveries(endpoint.id);
        return d && d.status !== 'PENDING' ? d : undefined;
      },
      20_000,
      'refused delivery',
    );
    expect(row).toMatchObject({ fileId, status: 'FAILED', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/own storage/) });
    await stack.db.webhooks.deleteEndpoint(endpoint.id, stack.dev.orgId);
  });

  it('sends a delivery whose job was lost (Redis flushed, worker died before enqueueing): the reconciler finds it', async () => {
    const fileId = randomUUID();
    const [row] = await stack.db.webhooks.createDeliveries({
      orgId: stack.dev.orgId,
      fileId,
      event: 'file.partial',
      payload: { file_id: fileId, status: 'partial', pages_total: 2, pages_done: 1, pages_failed: 1, request_metadata: null, error: { code: 'pages_failed', message: '1 of 2 pages failed' } },
      endpointIds: [ids.get('partialOnly')!],
    });
    expect(await queues.jobState('webhook', row!.id)).toBe('unknown');
    const sent = await eventually(async () => receiver.received('/partial-only').find((h) => h.body.includes(fileId)), 20_000, 'reconciled delivery');
    expect(JSON.parse(sent.body)).toMatchObject({ id: row!.id, event: 'file.partial', data: { file_id: fileId } });
    await eventually(async () => ((await deliveries(ids.get('partialOnly')!)).find((d) => d.id === row!.id)?.status === 'DELIVERED' ? true : undefined), 10_000, 'DELIVERED');
  });

  it('announces a document refused after the request stopped waiting (file.failed with the reason); one refused while it waits is only its 4xx', async () => {
    const nanonets = nanonetsHttp(stack.api.url, stack.dev.apiKey);
    const path = `/OCR/Model/${stack.dev.modelId}/LabelUrls/Async/`;
    const failedHooks = () => receiver.received('/ok').map((h) => webhookPayloadSchema.parse(JSON.parse(h.body))).filter((p) => p.event === 'file.failed');
    const before = failedHooks().length;

    const refused = await nanonets.postJson<Json>(path, { urls: [`${origin.url}/corrupt.pdf`] });
    expect(refused.status).toBe(422);
    const accepted = await nanonets.postJson<{ result: Array<{ request_file_id: string }> }>(path, { urls: [`${origin.url}/slow-corrupt.pdf`] });
    expect(accepted.status).toBe(200);
    const fileId = accepted.body.result[0]!.request_file_id;

    // Finalize waits out INGEST_WAIT_MS plus its margin; the refused upload's finalize, scheduled
    // earlier with the same delay, has run by the time this one arrives.
    const hook = await eventually(async () => failedHooks().find((p) => p.data.file_id === fileId), 30_000, 'file.failed of the late refusal');
    expect(hook.data).toEqual({
      file_id: fileId,
      status: 'failed',
      pages_total: 0,
      pages_done: 0,
      pages_failed: 0,
      request_metadata: null,
      error: { code: 'corrupt', message: expect.any(String) },
    });
    expect(failedHooks().length - before).toBe(1);
    expect(openapi.checkWebhook('file.failed', hook)).toEqual([]);
    expect((await stack.db.files.findById(fileId))?.status).toBe('FAILED');
  }, 60_000);

  it('keeps tenants apart, and a deleted endpoint gets nothing more', async () => {
    const okId = ids.get('ok')!;
    const asOther = { auth: `Bearer ${otherKey}` };
    expect((await api('DELETE', `/v1/webhooks/${okId}`, asOther)).status).toBe(404);
    expect((await api('GET', `/v1/webhooks/${okId}/deliveries`, asOther)).status).toBe(404);
    expect((await api('DELETE', `/v1/webhooks/${randomUUID()}`)).status).toBe(404);
    expect((await api('DELETE', '/v1/webhooks/not-a-uuid')).status).toBe(404);

    const before = receiver.received('/ok').length;
    const del = await api('DELETE', `/v1/webhooks/${okId}`);
    expect(del.body).toEqual({ id: okId, object: 'webhook_endpoint', deleted: true });
    expect((await api('DELETE', `/v1/webhooks/${okId}`)).status).toBe(404);
    expect(((await api('GET', '/v1/webhooks')).body.data as Json[]).map((e) => e.id)).not.toContain(okId);

    const fileId = await uploadAndFinish();
    // The flaky endpoint (now answering 200) is still subscribed: once it got this file, ok would have too.
    await eventually(async () => (receiver.received('/flaky').some((h) => h.body.includes(fileId)) ? true : undefined), 20_000, 'delivery to flaky');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received('/ok')).toHaveLength(before);
    expect(await stack.db.prisma.webhookDelivery.count({ where: { endpointId: okId, fileId } })).toBe(0);
  });

  it('keeps endpoints created before the Standard Webhooks format working: their old header too, and their secret converts', async () => {
    // A secret as they were generated before: whsec_ + 32 bytes base64url.
    const legacySecret = `whsec_${randomBytes(32).toString('base64url')}`;
    const endpoint = await stack.db.webhooks.createEndpoint({ orgId: stack.dev.orgId, url: receiver.url('/legacy'), secret: legacySecret, events: ['file.complete'] });
    const fileId = await uploadAndFinish();
    const hook = await eventually(async () => receiver.received('/legacy').find((h) => h.body.includes(fileId)), 20_000, 'legacy delivery');
    const [, t] = /^t=(\d+),v1=[0-9a-f]{64}$/.exec(hook.headers['folio-signature'] as string) ?? [];
    expect(hook.headers['folio-signature']).toBe(signLegacyWebhookPayload(legacySecret, hook.body, Number(t)));
    expect(hook.headers['folio-delivery']).toBe(hook.headers['webhook-id']);
    expect(verifyWebhookSignature(legacySecret, hook.headers, hook.body)).toBe(true);
    expect(new Webhook(standardWebhookSecret(legacySecret)).verify(hook.body, hook.headers as Record<string, string>)).toMatchObject({ data: { file_id: fileId } });
    await stack.db.webhooks.deleteEndpoint(endpoint.id, stack.dev.orgId);
  });
});
