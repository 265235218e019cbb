import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@folio/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('API reference at /docs, the home page, access logs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('serves / linking /docs, and /docs as Swagger UI over /openapi.json from this origin only', async () => {
    const home = await fetch(`${stack.api.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const homeHtml = await home.text();
    expect(homeHtml).toContain('href="/docs"');
    expect(homeHtml).toContain('href="/openapi.json"');

    const docs = await fetch(`${stack.api.url}/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/init.js']));
    for (const asset of assets) expect((await fetch(`${stack.api.url}${asset}`)).status, asset).toBe(200);
    expect(await (await fetch(`${stack.api.url}/docs/init.js`)).text()).toContain("url: '/openapi.json'");
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${stack.api.url}/docs/assets/nope.js`)).status).toBe(404);
  });

  it('logs one access line per request with its request id, without headers', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...stack.env, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const url = `http://127.0.0.1:${port}`;
      await eventually(async () => ((await fetch(`${url}/v1/health/live`).catch(() => undefined))?.ok ? true : undefined), 60_000, 'api');
      const res = await fetch(`${url}/v1/files`, { headers: { 'x-request-id': 'access-log-test-1', authorization: `Bearer ${stack.dev.apiKey}` } });
      expect(res.headers.get('x-request-id')).toBe('access-log-test-1');
      const line = await eventually(
        async () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => (l['req'] as { id?: string } | undefined)?.id === 'access-log-test-1'),
        10_000,
        'the access log line',
      );
      expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'access-log-test-1', method: 'GET', url: '/v1/files' }, res: { statusCode: res.status } });
      expect(JSON.stringify(line)).not.toContain(stack.dev.apiKey);
      expect(out).not.toContain('/v1/health/live');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
