import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetchError } from './url-fetch.errors.ts';
import { postToUrl } from './url-fetch.post.ts';
import { startServer, type TestServer } from './url-fetch.test-support.ts';

const LOOPBACK_ONLY = ['127.0.0.1/32'];

describe('postToUrl', () => {
  let server: TestServer;
  const received: Array<{ method: string; body: string; headers: Record<string, unknown> }> = [];

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        if (req.url === '/fail') res.writeHead(500).end('x'.repeat(5_000));
        else if (req.url === '/moved') res.writeHead(301, { location: '/ok' }).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
  });
  afterAll(() => server?.close());

  it('POSTs the body with its headers and returns status and answer', async () => {
    const body = JSON.stringify({ hello: 'wörld' });
    const res = await postToUrl(server.url('/ok'), { body, headers: { 'content-type': 'application/json', 'x-test': '1' } }, { allowPrivate: LOOPBACK_ONLY });
    expect(res).toEqual({ status: 200, body: 'thanks' });
    const last = received.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', body });
    expect(last.headers).toMatchObject({ 'content-type': 'application/json', 'x-test': '1', 'content-length': String(Buffer.byteLength(body)) });
  });

  it('reports error statuses with the first KiB of the answer, and does not follow redirects', async () => {
    const failed = await postToUrl(server.url('/fail'), { body: '{}' }, { allowPrivate: LOOPBACK_ONLY });
    expect(failed.status).toBe(500);
    expect(failed.body).toHaveLength(1_024);
    const before = received.length;
    expect((await postToUrl(server.url('/moved'), { body: '{}' }, { allowPrivate: LOOPBACK_ONLY })).status).toBe(301);
    expect(received.length).toBe(before + 1);
  });

  it('refuses private addresses unless allowed, before connecting', async () => {
    const before = server.connections;
    await expect(postToUrl(server.url('/ok'), { body: '{}' })).rejects.toMatchObject({ code: 'forbidden_address' });
    await expect(postToUrl('http://localhost:1/', { body: '{}' })).rejects.toBeInstanceOf(UrlFetchError);
    expect(server.connections).toBe(before);
  });

  it('gives up after timeoutMs', async () => {
    const started = Date.now();
    await expect(postToUrl(server.url('/slow'), { body: '{}' }, { allowPrivate: LOOPBACK_ONLY, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
