import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetchError } from './url-fetch.errors.ts';
import type { ResolveFn } from './url-fetch.policy.ts';
import { fetchUrlToStorage } from './url-fetch.service.ts';
import {
  collect,
  countOutgoingConnects,
  installNetworkGuard,
  startServer,
  type NetworkGuard,
  type TestServer,
} from './url-fetch.test-support.ts';

// Every server listens on loopback; names resolve only through `resolve` overrides, never DNS.
const LOOPBACK_ONLY = ['127.0.0.1/32'];
const payload = randomBytes(300 * 1024);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Bytes the endless route wrote before the client went away. */
let endlessSent = 0;

function endless(res: ServerResponse): void {
  const chunk = Buffer.alloc(16 * 1024, 7);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const pump = () => {
    // Capped so a broken client cannot make the test server run forever.
    while (!res.destroyed && endlessSent < 64 * 1024 * 1024) {
      endlessSent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

let server: TestServer;
let guard: NetworkGuard;

beforeAll(async () => {
  guard = installNetworkGuard();
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/file.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': payload.length });
      res.end(payload);
    } else if (path === '/chunked') {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < payload.length; i += 50_000) res.write(payload.subarray(i, i + 50_000));
      res.end();
    } else if (path === '/host') {
      res.end(req.headers.host ?? '');
    } else if (path === '/big-cl') {
      res.writeHead(200, { 'content-length': 5000 });
      res.end(Buffer.alloc(5000));
    } else if (path === '/endless') {
      endless(res);
    } else if (path === '/hang-headers') {
      // Never answers.
    } else if (path === '/hang-body') {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(10));
    } else if (path === '/cut') {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(10), () => res.socket?.destroy());
    } else if (path === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      res.end('moved');
    } else if (path.startsWith('/loop/')) {
      res.writeHead(301, { location: `/loop/${Number(path.slice(6)) + 1}` });
      res.end();
    } else if (path === '/no-location') {
      res.writeHead(302);
      res.end();
    } else if (path === '/500') {
      res.writeHead(500);
      res.end('boom');
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
});

afterAll(async () => {
  await server.close();
  guard.restore();
  // Nothing ever tried to leave loopback (the guard would have stopped it).
  expect(guard.blocked).toEqual([]);
});

async function expectFetchError(promise: Promise<unknown>, code: UrlFetchError['code']): Promise<UrlFetchError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UrlFetchError);
  expect((err as UrlFetchError).code).toBe(code);
  return err as UrlFetchError;
}

function mapResolve(table: Record<string, string[]>, calls: string[] = []): ResolveFn {
  return async (hostname) => {
    calls.push(hostname);
    const addrs = table[hostname];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('fetchUrlToStorage: refused before connecting', { timeout: 10_000 }, () => {
  it('refuses 127.0.0.1 under the default policy, with no connection made', async () => {
    let sinkCalls = 0;
    const { connects, result } = await countOutgoingConnects(guard, () =>
      fetchUrlToStorage(server.url('/file.pdf'), async () => sinkCalls++, {}),
    );
    expect(result.status).toBe('rejected');
    await expectFetchError(Promise.reject((result as PromiseRejectedResult).reason), 'forbidden_address');
    expect(connects).toBe(0);
    expect(server.connections).toBe(0);
    expect(sinkCalls).toBe(0);
  });

  it('refuses ::1 under the default policy and fetches it when ::1/128 is allowed', async (ctx) => {
    const v6 = await startServer((_req, res) => res.end('over v6'), { host: '::1' }).catch(() => null);
    if (!v6) return ctx.skip('this machine has no ::1');
    try {
      const { connects, result } = await countOutgoingConnects(guard, () => fetchUrlToStorage(v6.url('/'), collect, {}));
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'forbidden_address' });
      expect(connects).toBe(0);
      expect(v6.connections).toBe(0);
      const body = await fetchUrlToStorage(v6.url('/'), collect, { allowPrivate: ['::1/128'] });
      expect(body.toString()).toBe('over v6');
    } finally {
      await v6.close();
    }
  });

  it.each([
    'http://10.0.0.5/doc.pdf',
    'http://172.16.0.1/doc.pdf',
    'http://192.168.1.1:8080/doc.pdf',
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[::ffff:127.0.0.1]:1/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
  ])('refuses the literal %s without DNS or a connection', async (url) => {
    const calls: string[] = [];
    const { connects, result } = await countOutgoingConnects(guard, () =>
      fetchUrlToStorage(url, collect, { resolve: mapResolve({}, calls) }),
    );
    expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'forbidden_address' });
    expect(connects).toBe(0);
    expect(calls).toEqual([]);
  });

  it.each([
    [['127.0.0.1'], 'loopback'],
    [['10.0.0.5'], 'private'],
    [['169.254.169.254'], 'link-local'],
    [['::ffff:10.0.0.5'], 'private'],
    // One bad address among good ones is enough: the socket might pick it.
    [['93.184.216.34', '10.0.0.5'], 'private'],
  ])('refuses a name resolving to %j', async (addresses, kind) => {
    const calls: string[] = [];
    const url = `http://evil.example:${server.port}/file.pdf`;
    const { connects, result } = await countOutgoingConnects(guard, () =>
      fetchUrlToStorage(url, collect, { resolve: mapResolve({ 'evil.example': addresses }, calls) }),
    );
    const err = await expectFetchError(Promise.reject((result as PromiseRejectedResult).reason), 'forbidden_address');
    const via = addresses[0]?.startsWith('::ffff') ? ' (ipv4-mapped IPv6)' : '';
    expect(err.message).toBe(`URL host evil.example resolves to a ${kind} address${via} and may not be fetched`);
    // The resolved address goes to logs (err.address), not into the client's message.
    expect(err.message).not.toContain(addresses.at(-1));
    expect(err.address).toBeDefined();
    expect(calls).toEqual(['evil.example']);
    expect(connects).toBe(0);
    expect(server.connections).toBe(0);
  });

  it('reports a name that does not resolve as unreachable', async () => {
    await expectFetchError(fetchUrlToStorage('http://nowhere.example/', collect, { resolve: mapResolve({}) }), 'unreachable');
  });
});

describe('fetchUrlToStorage: redirects', { timeout: 10_000 }, () => {
  it('refuses a redirect from an allowed host to a name that resolves to a forbidden address', async () => {
    const inner = await startServer((_req, res) => res.end('internal secret'), { host: '127.0.0.2' });
    try {
      const target = `http://internal.example:${inner.port}/secret`;
      const calls: string[] = [];
      const policy = { allowPrivate: LOOPBACK_ONLY, resolve: mapResolve({ 'internal.example': ['127.0.0.2'] }, calls) };
      const url = server.url(`/redirect?to=${encodeURIComponent(target)}`);
      const { connects, result } = await countOutgoingConnects(guard, () => fetchUrlToStorage(url, collect, policy));
      const err = await expectFetchError(Promise.reject((result as PromiseRejectedResult).reason), 'forbidden_address');
      expect(err.message).toMatch(/^redirect refused: URL host internal.example resolves to a loopback address/);
      expect(calls).toEqual(['internal.example']);
      expect(connects).toBe(1); // the first hop only
      expect(inner.connections).toBe(0);
    } finally {
      await inner.close();
    }
  });

  it('refuses a redirect from a public-looking name to the metadata service', async () => {
    const policy = {
      allowPrivate: LOOPBACK_ONLY,
      resolve: mapResolve({ 'public.example': ['127.0.0.1'], 'metadata.example': ['169.254.169.254'] }),
    };
    const to = encodeURIComponent('http://metadata.example/latest/meta-data/');
    const err = await expectFetchError(
      fetchUrlToStorage(`http://public.example:${server.port}/redirect?to=${to}`, collect, policy),
      'forbidden_address',
    );
    expect(err.message).toContain('link-local');
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'forbidden_address'],
    ['http://10.0.0.5/', 'forbidden_address'],
    ['http://[::1]:1/', 'forbidden_address'],
    ['file:///etc/passwd', 'invalid_url'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'invalid_url'],
    ['http://user:pw@example.com/', 'invalid_url'],
  ])('refuses a redirect to %s', async (to, code) => {
    const url = server.url(`/redirect?to=${encodeURIComponent(to)}`);
    const { connects, result } = await countOutgoingConnects(guard, () =>
      fetchUrlToStorage(url, collect, { allowPrivate: LOOPBACK_ONLY, resolve: mapResolve({}) }),
    );
    const err = await expectFetchError(Promise.reject((result as PromiseRejectedResult).reason), code as UrlFetchError['code']);
    expect(err.message).toMatch(/^redirect refused: /);
    expect(connects).toBe(1);
  });

  it('resolves and checks the name again at each hop (a rebinding answer is caught)', async () => {
    let n = 0;
    const calls: string[] = [];
    const rebinding: ResolveFn = async (hostname) => {
      calls.push(hostname);
      return [{ address: n++ === 0 ? '127.0.0.1' : '10.0.0.5', family: 4 }];
    };
    const to = encodeURIComponent(`http://rebind.example:${server.port}/file.pdf`);
    const { connects, result } = await countOutgoingConnects(guard, () =>
      fetchUrlToStorage(`http://rebind.example:${server.port}/redirect?to=${to}`, collect, {
        allowPrivate: LOOPBACK_ONLY,
        resolve: rebinding,
      }),
    );
    expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'forbidden_address' });
    expect(calls).toEqual(['rebind.example', 'rebind.example']);
    expect(connects).toBe(1);
  });

  it('stops after maxRedirects', async () => {
    const before = server.requests.length;
    const err = await expectFetchError(
      fetchUrlToStorage(server.url('/loop/0'), collect, { allowPrivate: LOOPBACK_ONLY, maxRedirects: 3 }),
      'too_many_redirects',
    );
    expect(err.message).toBe('more than 3 redirects');
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3']);
    await expectFetchError(
      fetchUrlToStorage(server.url('/loop/0'), collect, { allowPrivate: LOOPBACK_ONLY, maxRedirects: 0 }),
      'too_many_redirects',
    );
  });

  it('follows allowed redirects and reports the final URL', async () => {
    const to = encodeURIComponent(`http://files.example:${server.port}/file.pdf`);
    const result = await fetchUrlToStorage(
      server.url(`/redirect?to=${to}`),
      async (body, info) => ({ body: await collect(body), info }),
      { allowPrivate: LOOPBACK_ONLY, resolve: mapResolve({ 'files.example': ['127.0.0.1'] }) },
    );
    expect(sha(result.body)).toBe(sha(payload));
    expect(result.info.finalUrl).toBe(`http://files.example:${server.port}/file.pdf`);
  });

  it('treats a redirect without Location as an HTTP error', async () => {
    const err = await expectFetchError(
      fetchUrlToStorage(server.url('/no-location'), collect, { allowPrivate: LOOPBACK_ONLY }),
      'http_status',
    );
    expect(err.status).toBe(302);
  });
});

describe('fetchUrlToStorage: limits and failures', { timeout: 10_000 }, () => {
  const allowed = { allowPrivate: LOOPBACK_ONLY };

  it('refuses a Content-Length over maxBytes before calling the sink', async () => {
    let sinkCalls = 0;
    const err = await expectFetchError(
      fetchUrlToStorage(server.url('/big-cl'), async () => sinkCalls++, { ...allowed, maxBytes: 1000 }),
      'too_large',
    );
    expect(err.message).toContain('5000 bytes, over the limit of 1000 bytes');
    expect(sinkCalls).toBe(0);
  });

  it('errors the sink stream once more than maxBytes arrive without a Content-Length', async () => {
    endlessSent = 0;
    let sinkError: unknown;
    let info: unknown;
    const started = Date.now();
    const err = await expectFetchError(
      fetchUrlToStorage(
        server.url('/endless'),
        async (body, i) => {
          info = i;
          try {
            return await collect(body);
          } catch (e) {
            sinkError = e;
            // A storage sink reports failures in its own words; the fetch error must still win.
            throw new Error('upload failed', { cause: e });
          }
        },
        { ...allowed, maxBytes: 256 * 1024 },
      ),
      'too_large',
    );
    expect(err.message).toContain('exceeds the limit of 262144 bytes');
    expect(sinkError).toBe(err);
    expect(info).toMatchObject({ contentLength: null, contentType: 'application/octet-stream' });
    expect(Date.now() - started).toBeLessThan(5000);
    // The download stopped: only what sat in socket buffers went past the limit.
    await new Promise((r) => setTimeout(r, 100));
    expect(endlessSent).toBeLessThan(32 * 1024 * 1024);
  });

  it('still fails when the sink swallows the stream error', async () => {
    await expectFetchError(
      fetchUrlToStorage(
        server.url('/endless'),
        async (body) => {
          await collect(body).catch(() => undefined);
          return 'stored?';
        },
        { ...allowed, maxBytes: 64 * 1024 },
      ),
      'too_large',
    );
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const err = await expectFetchError(
      fetchUrlToStorage(server.url('/hang-headers'), collect, { ...allowed, timeoutMs: 300 }),
      'timeout',
    );
    expect(err.message).toBe(`fetching 127.0.0.1:${server.port} did not finish within 300 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out when the body never finishes, erroring the sink stream', async () => {
    let sinkError: unknown;
    const started = Date.now();
    const err = await expectFetchError(
      fetchUrlToStorage(
        server.url('/hang-body'),
        (body) =>
          collect(body).catch((e: unknown) => {
            sinkError = e;
            throw e;
          }),
        { ...allowed, timeoutMs: 300 },
      ),
      'timeout',
    );
    expect(sinkError).toBe(err);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out when DNS never answers', async () => {
    await expectFetchError(
      fetchUrlToStorage('http://slow.example/', collect, { timeoutMs: 200, resolve: () => new Promise(() => undefined) }),
      'timeout',
    );
  });

  it('reports a connection cut mid-body as unreachable', async () => {
    const err = await expectFetchError(fetchUrlToStorage(server.url('/cut'), collect, allowed), 'unreachable');
    expect(err.message).toContain('broke off before the body was complete');
  });

  it('reports a refused connection as unreachable', async () => {
    const gone = await startServer((_req, res) => res.end());
    const url = gone.url('/');
    await gone.close();
    const err = await expectFetchError(fetchUrlToStorage(url, collect, allowed), 'unreachable');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it.each([
    [404, true],
    [500, false],
  ])('turns HTTP %i into http_status (permanent: %s)', async (status, permanent) => {
    const err = await expectFetchError(fetchUrlToStorage(server.url(`/${status}`), collect, allowed), 'http_status');
    expect(err.status).toBe(status);
    expect(err.permanent).toBe(permanent);
    expect(err.message).toMatch(new RegExp(`answered HTTP ${status}`));
  });

  it('keeps the sink’s own error when the fetch itself went fine', async () => {
    const own = new Error('bucket gone');
    await expect(
      fetchUrlToStorage(server.url('/file.pdf'), async () => {
        throw own;
      }, allowed),
    ).rejects.toBe(own);
  });
});

describe('fetchUrlToStorage: success', { timeout: 10_000 }, () => {
  it('delivers the body intact with allowPrivate 127.0.0.0/8', async () => {
    const result = await fetchUrlToStorage(
      server.url('/file.pdf'),
      async (body, info) => ({ body: await collect(body), info }),
      { allowPrivate: ['127.0.0.0/8'] },
    );
    expect(result.body.length).toBe(payload.length);
    expect(sha(result.body)).toBe(sha(payload));
    expect(result.info).toEqual({ contentType: 'application/pdf', contentLength: payload.length, finalUrl: server.url('/file.pdf') });
  });

  it('delivers a chunked body of unknown length', async () => {
    const result = await fetchUrlToStorage(
      server.url('/chunked'),
      async (body, info) => ({ body: await collect(body), info }),
      { allowPrivate: ['127.0.0.0/8'], maxBytes: payload.length },
    );
    expect(sha(result.body)).toBe(sha(payload));
    expect(result.info.contentLength).toBeNull();
    expect(result.info.contentType).toBe('image/png');
  });

  it('dials the checked address but sends the original name as Host', async () => {
    const calls: string[] = [];
    const body = await fetchUrlToStorage(`http://files.example:${server.port}/host`, collect, {
      allowPrivate: LOOPBACK_ONLY,
      resolve: mapResolve({ 'files.example': ['127.0.0.1'] }, calls),
    });
    expect(body.toString()).toBe(`files.example:${server.port}`);
    // One resolution, used for the check and the connection alike.
    expect(calls).toEqual(['files.example']);
  });
});
