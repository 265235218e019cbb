import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '@folio/api';
import type { ReviewPageDetail, ReviewPageList } from '@folio/contracts';
import { connectServices, createLogger, createMetrics } from '@folio/services';
import type { Storage } from '@folio/storage';
import { reviewClient, seedRecognizedPage, stackStorage } from '../review/review.support.ts';
import { openApiValidator, type OpenApiValidator } from '../support/openapi.validator.ts';
import { basicAuth, startStack, type Stack } from '../support/stack.ts';
import { documentedPath, EXCLUDED_ROUTES, registeredEndpoints, routeKey } from './openapi.routes.support.ts';

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  operationId: string;
  secured: boolean;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('GET /openapi.json against the running server', () => {
  let stack: Stack;
  let openapi: OpenApiValidator;
  let operations: Operation[];
  let storage: Storage | undefined;

  /** Calls a documented route with every path parameter unknown and an empty JSON body. */
  const call = async (op: Operation, auth: string | null) => {
    const path = op.path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
    const query = op.operationId === 'nanonetsListFiles' ? '?start_day_interval=1&current_batch_day=20000' : '';
    const init: RequestInit = { method: op.method.toUpperCase(), headers: auth ? { authorization: auth } : {} };
    if (op.method === 'post' || op.method === 'patch') {
      init.headers = { ...init.headers, 'content-type': 'application/json' };
      init.body = '{}';
    }
    const res = await fetch(`${stack.api.url}${path}${query}`, init);
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: type.includes('json') ? ((await res.json()) as unknown) : await res.text() };
  };

  beforeAll(async () => {
    stack = await startStack();
    openapi = await openApiValidator(stack.api.url);
    operations = Object.entries(openapi.doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method,
        path,
        operationId: op.operationId as string,
        secured: ((op.security as Json[] | undefined) ?? []).length > 0,
      })),
    );
  });
  afterAll(async () => {
    storage?.close();
    await stack?.close();
  });

  it('is OpenAPI 3.1 naming the server it was asked on, for all four dialects', async () => {
    const res = await fetch(`${stack.api.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const doc = (await res.json()) as { openapi: string; servers: Array<{ url: string }>; tags: Array<{ name: string }> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: stack.api.url }]);
    expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['Nanonets', 'Files + OCR', 'NIM', 'docTR']));
    // Behind a proxy the forwarded scheme and host are the ones clients use.
    const proxied = await fetch(`${stack.api.url}/openapi.json`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ocr.example.com' } });
    expect(((await proxied.json()) as typeof doc).servers).toEqual([{ url: 'https://ocr.example.com' }]);
    expect(operations.length).toBeGreaterThanOrEqual(23);
  });

  it('documents only routes the server really has (no route answers "Route … not found")', async () => {
    const missing: string[] = [];
    for (const op of operations) {
      const res = await call(op, `Bearer ${stack.dev.apiKey}`);
      if (res.status === 404 && /Route (GET|POST|PATCH|DELETE) \//.test(JSON.stringify(res.body))) missing.push(`${op.method} ${op.path}`);
    }
    expect(missing).toEqual([]);
  });

  it('answers every secured route without a key with 401 in that dialect, as documented', async () => {
    for (const op of operations.filter((o) => o.secured)) {
      const res = await call(op, null);
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
      const basic = op.path.startsWith('/api/v2/');
      expect(res.headers.get('www-authenticate'), op.path).toBe(basic ? 'Basic realm="folio"' : 'Bearer');
      expect(openapi.check(op.operationId, 401, res.body), `${op.method} ${op.path}`).toEqual([]);
    }
  });

  it('answers every route called with unknown ids and an empty body in a documented status and shape', async () => {
    const problems: string[] = [];
    for (const op of operations) {
      const res = await call(op, `Bearer ${stack.dev.apiKey}`);
      // No worker runs here: the OCR routes may answer their documented 503; nothing may fail with 500.
      expect(res.status, `${op.method} ${op.path}`).not.toBe(500);
      if (op.operationId === 'filesDownload' && res.status === 200) continue;
      for (const p of openapi.check(op.operationId, res.status, res.body)) problems.push(`${op.method} ${op.path} → ${res.status}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('documents every route registered in the Express app, and registers every documented one', async () => {
    const services = connectServices(stack.config, 'api');
    try {
      const app = createApp({ ...services, config: stack.config, logger: createLogger(stack.config, 'api'), metrics: createMetrics() });
      const registered = registeredEndpoints(app);
      const documented = new Set(operations.map((o) => routeKey(o.method, documentedPath(o.path))));
      const excluded = registered.filter((e) => EXCLUDED_ROUTES.some((x) => x.pattern.test(e.path)));
      const kept = registered.filter((e) => !excluded.includes(e));
      // Middleware mounted on a path (authentication of /v1/review, /v1/webhooks) is fine when it guards documented routes.
      const undocumented = kept.filter((e) =>
        e.method === 'use' ? !operations.some((o) => documentedPath(o.path).startsWith(e.path)) : !documented.has(routeKey(e.method, e.path)),
      );
      expect(undocumented.map((e) => routeKey(e.method, e.path))).toEqual([]);
      const routes = new Set(registered.filter((e) => e.method !== 'use').map((e) => routeKey(e.method, e.path)));
      expect([...documented].filter((k) => !routes.has(k))).toEqual([]);
      // The walk does see nested routers and path-mounted middleware (else this test would pass vacuously).
      expect(routes.size).toBeGreaterThanOrEqual(operations.length);
      expect(excluded.map((e) => routeKey(e.method, e.path))).toContain('use /review');
    } finally {
      await services.close();
    }
  });

  it('documents the real answers of the review API and the page image routes, 2xx and 4xx', async () => {
    storage = stackStorage(stack);
    const { orgId, modelId } = stack.dev;
    const seeded = await seedRecognizedPage(stack, storage, { orgId, modelId, lines: ['Invoice 7', 'Total 12.5O'], scores: [0.96, 0.42] });
    const file = await stack.db.files.create({ orgId, modelId, filename: 'queued.png' });
    const [queued] = await stack.db.files.createPages(file.id, 1);
    const review = reviewClient(stack.api.url, stack.dev.apiKey);
    const problems: string[] = [];
    const seen = new Set<string>();
    const expectAnswer = async <T>(operationId: string, status: number, res: { status: number; body: T; headers: Headers }) => {
      expect(res.status, `${operationId} ${JSON.stringify(res.body)}`).toBe(status);
      seen.add(`${operationId} ${status}`);
      const type = res.headers.get('content-type');
      const found = type?.includes('json') ? openapi.check(operationId, status, res.body) : openapi.checkMedia(operationId, status, type);
      problems.push(...found.map((p) => `${operationId} ${status}: ${p}`));
      return res;
    };
    const image = async (path: string, auth: string) => {
      const res = await fetch(`${stack.api.url}${path}`, { headers: { authorization: auth } });
      const type = res.headers.get('content-type') ?? '';
      const body: unknown = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
      return { status: res.status, body, headers: res.headers };
    };
    const page = `/v1/review/pages/${seeded.pageId}`;

    const queue = await expectAnswer('reviewListPages', 200, await review<ReviewPageList>('GET', `/v1/review/pages?model_id=${modelId}&limit=1`));
    expect(queue.body.data.map((p) => p.id)).toEqual([seeded.pageId]);
    await expectAnswer('reviewListPages', 400, await review('GET', '/v1/review/pages?limit=0'));
    await expectAnswer('reviewListPages', 400, await review('GET', '/v1/review/pages?cursor=garbage'));
    await expectAnswer('reviewListPages', 404, await review('GET', `/v1/review/pages?model_id=${UNKNOWN_ID}`));
    await expectAnswer('reviewListModels', 200, await review('GET', '/v1/review/models'));

    const detail = await expectAnswer('reviewGetPage', 200, await review<ReviewPageDetail>('GET', page));
    const [first, second] = detail.body.predictions;
    await expectAnswer('reviewGetPage', 400, await review('GET', '/v1/review/pages/nope'));
    await expectAnswer('reviewGetPage', 404, await review('GET', `/v1/review/pages/${UNKNOWN_ID}`));

    const bearer = `Bearer ${stack.dev.apiKey}`;
    const png = await expectAnswer('reviewGetPageImage', 200, await image(`${page}/image?overlay=1`, bearer));
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    await expectAnswer('reviewGetPageImage', 200, await image(`${page}/image`, bearer));
    await expectAnswer('reviewGetPageImage', 400, await image(`${page}/image?overlay=maybe`, bearer));
    await expectAnswer('reviewGetPageImage', 404, await image(`/v1/review/pages/${queued!.id}/image`, bearer));

    const edited = await expectAnswer('reviewUpdatePrediction', 200, await review<{ id: string }>('PATCH', `${page}/predictions/${second!.id}`, { ocr_text: 'Total 12.50' }));
    await expectAnswer('reviewUpdatePrediction', 409, await review('PATCH', `${page}/predictions/${second!.id}`, { ocr_text: 'again' }));
    await expectAnswer('reviewUpdatePrediction', 422, await review('PATCH', `${page}/predictions/${edited.body.id}`, { xmin: 500, xmax: 10 }));
    await expectAnswer('reviewUpdatePrediction', 400, await review('PATCH', `${page}/predictions/${edited.body.id}`, { text: 'typo' }));
    await expectAnswer('reviewUpdatePrediction', 400, await review('PATCH', `${page}/predictions/${edited.body.id}`, undefined, { raw: '{"ocr_text":' }));
    await expectAnswer('reviewUpdatePrediction', 413, await review('PATCH', `${page}/predictions/${edited.body.id}`, { ocr_text: 'x'.repeat(70_000) }));
    await expectAnswer('reviewUpdatePrediction', 404, await review('PATCH', `${page}/predictions/${UNKNOWN_ID}`, { ocr_text: 'x' }));
    await expectAnswer('reviewAddPrediction', 201, await review('POST', `${page}/predictions`, { xmin: 2, ymin: 2, xmax: 40, ymax: 20, ocr_text: 'stamp' }));
    await expectAnswer('reviewAddPrediction', 400, await review('POST', `${page}/predictions`));
    await expectAnswer('reviewAddPrediction', 422, await review('POST', `${page}/predictions`, { xmin: 0, ymin: 0, xmax: 10, ymax: seeded.height + 1 }));
    await expectAnswer('reviewAddPrediction', 409, await review('POST', `/v1/review/pages/${queued!.id}/predictions`, { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }));
    await expectAnswer('reviewDeletePrediction', 200, await review('DELETE', `${page}/predictions/${first!.id}`));
    await expectAnswer('reviewDeletePrediction', 409, await review('DELETE', `${page}/predictions/${first!.id}`));
    await expectAnswer('reviewDeletePrediction', 404, await review('DELETE', `${page}/predictions/${UNKNOWN_ID}`));

    // The audit trail now holds update, create, delete and state events with their before/after snapshots.
    const approved = await expectAnswer('reviewApprovePage', 200, await review<ReviewPageDetail>('POST', `${page}/approve`));
    expect(approved.body.events.map((e) => e.action)).toEqual(['update', 'create', 'delete', 'approve']);
    await expectAnswer('reviewRejectPage', 200, await review('POST', `${page}/reject`));
    await expectAnswer('reviewResetPage', 200, await review('POST', `${page}/reset`));
    await expectAnswer('reviewApprovePage', 409, await review('POST', `/v1/review/pages/${queued!.id}/approve`));
    await expectAnswer('reviewRejectPage', 400, await review('POST', '/v1/review/pages/nope/reject'));
    await expectAnswer('reviewResetPage', 404, await review('POST', `/v1/review/pages/${UNKNOWN_ID}/reset`));
    await expectAnswer('reviewRevertPage', 200, await review('POST', `${page}/revert`));
    await expectAnswer('reviewRevertPage', 409, await review('POST', `/v1/review/pages/${queued!.id}/revert`));

    const basic = basicAuth(stack.dev.apiKey);
    const nanonets = `/api/v2/Inferences/Model/${modelId}/InferenceRequest/${seeded.fileId}/page/${seeded.pageId}/image`;
    await expectAnswer('nanonetsGetPageImage', 200, await image(`${nanonets}?overlay=1`, basic));
    await expectAnswer('nanonetsGetPageImage', 200, await image(nanonets, basic));
    await expectAnswer('nanonetsGetPageImage', 400, await image(`${nanonets}?overlay=maybe`, basic));
    await expectAnswer('nanonetsGetPageImage', 404, await image(`/api/v2/Inferences/Model/${modelId}/InferenceRequest/${file.id}/page/${seeded.pageId}/image`, basic));
    await expectAnswer('nanonetsGetPageImage', 401, await image(nanonets, basicAuth('not-a-key')));

    expect(problems).toEqual([]);
    // Every review operation was exercised with a real success answer.
    const reviewOps = operations.filter((o) => o.path.startsWith('/v1/review/')).map((o) => o.operationId);
    expect(reviewOps.filter((id) => ![...seen].some((k) => k.startsWith(`${id} 2`)))).toEqual([]);
  });
});
