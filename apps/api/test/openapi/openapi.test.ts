import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiValidator, type OpenApiValidator } from '../support/openapi.validator.ts';
import { startStack, type Stack } from '../support/stack.ts';

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

  /** Calls a documented route with every path parameter unknown and an empty JSON body. */
  const call = async (op: Operation, auth: string | null) => {
    const path = op.path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
    const query = op.operationId === 'nanonetsListFiles' ? '?start_day_interval=1&current_batch_day=20000' : '';
    const init: RequestInit = { method: op.method.toUpperCase(), headers: auth ? { authorization: auth } : {} };
    if (op.method === 'post') {
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
  afterAll(() => stack?.close());

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
      if (res.status === 404 && /Route (GET|POST|DELETE) \//.test(JSON.stringify(res.body))) missing.push(`${op.method} ${op.path}`);
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
});
