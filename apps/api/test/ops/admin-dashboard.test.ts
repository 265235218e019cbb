import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createQueues, createRedisConnection, QUEUE_NAMES } from '@folio/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheus, sampleValue } from '../support/prometheus.text.ts';
import { startStack, type Stack } from '../support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** `folio keys create ARGS` against the stack's database; returns the printed key. */
async function cliKey(stack: Stack, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'keys', 'create', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...stack.env },
    timeout: 60_000,
  });
  const key = /api key:\s+(\S+)/.exec(stdout)?.[1];
  if (!key) throw new Error(`no key in: ${stdout}`);
  return key;
}

describe('queue dashboard at /admin/queues (bull-board, admin keys only)', () => {
  let stack: Stack;
  let adminKey: string;
  const get = (p: string, authorization?: string) =>
    fetch(`${stack.api.url}${p}`, authorization ? { headers: { authorization } } : {});

  beforeAll(async () => {
    stack = await startStack();
    adminKey = (await stack.db.apiKeys.create(stack.dev.orgId, { name: 'operator', admin: true })).plaintext;
  });
  afterAll(() => stack?.close());

  it('answers 401 with a Basic challenge without a key or with an unknown one, 403 for a non-admin key', async () => {
    for (const authorization of [undefined, 'Bearer folio_not_a_real_key_123456', basic('admin', 'folio_wrong_wrong_wrong'), 'Digest abc']) {
      const res = await get('/admin/queues', authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="folio-admin"');
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    for (const authorization of [`Bearer ${stack.dev.apiKey}`, basic(stack.dev.apiKey, ''), basic('', stack.dev.apiKey)]) {
      const res = await get('/admin/queues', authorization);
      expect(res.status).toBe(403);
      expect((await res.json()) as unknown).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('--admin') } });
    }
    // The JSON API and the static files under the mount are guarded too.
    expect((await get('/admin/queues/api/queues')).status).toBe(401);
    expect((await get('/admin/queues/api/queues', `Bearer ${stack.dev.apiKey}`)).status).toBe(403);
    expect((await get('/admin/queues/static/images/logo.svg')).status).toBe(401);
  });

  it('serves the dashboard page and its assets to an admin key (Bearer, or Basic with the key as password or user name and the other empty)', async () => {
    // Two values in Basic: which one is the key would be a guess, so neither is taken.
    expect((await get('/admin/queues', basic('operator', adminKey))).status).toBe(401);
    expect((await get('/admin/queues', `Bearer ${adminKey} trailing`)).status).toBe(401);
    for (const authorization of [`Bearer ${adminKey}`, basic('', adminKey), basic(adminKey, '')]) {
      const res = await get('/admin/queues', authorization);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<title>Folio queues</title>');
      // Assets are relative to this base, so they load through the same guarded mount.
      expect(html).toContain('<base href="/admin/queues/" />');
    }
    const page = await (await get('/admin/queues/queue/render', `Bearer ${adminKey}`)).text();
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await get(`/admin/queues/${script}`, `Bearer ${adminKey}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it("lists Folio's queues in its JSON API, with the jobs they hold", async () => {
    const redis = createRedisConnection(stack.env.REDIS_URL as string);
    const queues = createQueues({ connection: redis, prefix: stack.config.QUEUE_PREFIX });
    try {
      await queues.enqueue('maintenance', { task: 'reap' }, { delay: 60_000 });
      const res = await get('/admin/queues/api/queues', `Bearer ${adminKey}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
      expect(body.queues.find((q) => q.name === 'maintenance')?.counts.delayed).toBe(1);
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });

  it('labels dashboard requests by route pattern in /metrics', async () => {
    const samples = parsePrometheus(await (await get('/metrics')).text());
    const count = (route: string, status: string) =>
      sampleValue(samples, 'folio_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/admin/queues/api/queues', '200')).toBe(1);
    expect(count('/admin/queues/*', '401')).toBeGreaterThanOrEqual(4);
    expect(samples.some((s) => s.labels.route?.includes(adminKey))).toBe(false);
  });

  it('`folio keys create --admin` prints a key that opens the dashboard; without --admin it does not', async () => {
    const [admin, plain] = await Promise.all([cliKey(stack, ['--admin', '--name', 'ops']), cliKey(stack, [])]);
    expect((await get('/admin/queues/api/queues', `Bearer ${admin}`)).status).toBe(200);
    expect((await get('/admin/queues/api/queues', `Bearer ${plain}`)).status).toBe(403);
  });
});

describe('queue dashboard without an operator token, once a second organization exists', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("opens for an admin key while its organization is the only one; once a second exists, refuses every organization's admin key (bull-board would show it the other's jobs)", async () => {
    const adminA = (await stack.db.apiKeys.create(stack.dev.orgId, { name: 'admin A', admin: true })).plaintext;
    // Alone, organization A's admin sees the dashboard: every job on it is its own.
    expect((await fetch(`${stack.api.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${adminA}` } })).status).toBe(200);
    const orgB = await stack.db.organizations.create({ name: 'Tenant B' });
    const adminB = (await stack.db.apiKeys.create(orgB.id, { name: 'admin B', admin: true })).plaintext;
    for (const key of [adminA, adminB]) {
      for (const p of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/api/queues/ingest/1/retry']) {
        const res = await fetch(`${stack.api.url}${p}`, { method: p.endsWith('retry') ? 'PUT' : 'GET', headers: { authorization: `Bearer ${key}` } });
        expect(res.status, p).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('OPERATOR_TOKEN') } });
      }
    }
    // Keys that are not admin keys are still 403 for that reason, unknown ones 401.
    expect((await fetch(`${stack.api.url}/admin/queues`, { headers: { authorization: `Bearer ${stack.dev.apiKey}` } })).status).toBe(403);
    expect((await fetch(`${stack.api.url}/admin/queues`)).status).toBe(401);
  });
});

describe('queue dashboard with an operator token (OPERATOR_TOKEN)', () => {
  const token = 'op_0123456789abcdef0123456789abcdef';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ OPERATOR_TOKEN: token });
  });
  afterAll(() => stack?.close());

  it("opens only with the token, which belongs to no organization: an organization's admin key no longer does", async () => {
    const adminKey = (await stack.db.apiKeys.create(stack.dev.orgId, { name: 'org admin', admin: true })).plaintext;
    for (const authorization of [`Bearer ${token}`, basic('', token), basic(token, '')]) {
      expect((await fetch(`${stack.api.url}/admin/queues/api/queues`, { headers: { authorization } })).status).toBe(200);
    }
    for (const authorization of [`Bearer ${adminKey}`, basic('', adminKey), `Bearer ${stack.dev.apiKey}`, `Bearer ${token}x`, basic('operator', token)]) {
      const res = await fetch(`${stack.api.url}/admin/queues/api/queues`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="folio-admin"');
      expect(await res.text()).toMatch(/operator token/);
    }
    expect((await fetch(`${stack.api.url}/admin/queues`)).status).toBe(401);
  });
});
