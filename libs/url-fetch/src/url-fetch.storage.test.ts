// The fetcher feeding the real storage adapter (s3rver over HTTP), as the ingest stage uses it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, startEmbeddedS3, type EmbeddedS3, type Storage } from '@folio/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlFetchError } from './url-fetch.errors.ts';
import type { UrlFetchPolicy } from './url-fetch.policy.ts';
import { fetchUrlToStorage } from './url-fetch.service.ts';
import { installNetworkGuard, startServer, type NetworkGuard, type TestServer } from './url-fetch.test-support.ts';

const MiB = 1024 * 1024;
const big = randomBytes(6 * MiB + 123); // more than one 5 MiB part: a multipart upload
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let dir: string;
let s3: EmbeddedS3;
let storage: Storage;
let server: TestServer;
let guard: NetworkGuard;

beforeAll(async () => {
  guard = installNetworkGuard();
  dir = await mkdtemp(join(tmpdir(), 'folio-url-fetch-'));
  s3 = await startEmbeddedS3({ directory: dir });
  storage = createStorage({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: `uf-${randomUUID().slice(0, 8)}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  await storage.ensureBucket();
  server = await startServer((req, res) => {
    if (req.url === '/big.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      // Chunked, so only the byte limit (not Content-Length) can stop it.
      for (let i = 0; i < big.length; i += 256 * 1024) res.write(big.subarray(i, i + 256 * 1024));
      res.end();
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(big.subarray(0, 100_000));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});

afterAll(async () => {
  await server?.close();
  storage?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
  guard.restore();
  expect(guard.blocked).toEqual([]);
});

const uploadsLeft = async (): Promise<string[]> =>
  readdir(join(dir, storage.bucket, '._S3rver_uploads')).catch(() => [] as string[]);

function toStorage(key: string, maxBytes?: number) {
  return (body: import('node:stream').Readable, info: { contentType: string | null }) =>
    storage.putStream(key, body, { contentType: info.contentType ?? 'application/octet-stream', ...(maxBytes ? { maxBytes } : {}) });
}

const allowed: UrlFetchPolicy = { allowPrivate: ['127.0.0.1/32'] };

describe('fetchUrlToStorage → storage.putStream', { timeout: 30_000 }, () => {
  it('streams a multipart-sized body into S3 intact', async () => {
    const key = `t/${randomUUID()}`;
    const put = await fetchUrlToStorage(server.url('/big.pdf'), toStorage(key), allowed);
    expect(put).toEqual({ bytes: big.length, sha256: sha(big) });
    expect(await storage.head(key)).toEqual({ bytes: big.length, contentType: 'application/pdf' });
  });

  it('rejects with the fetch error, not the storage one, and leaves nothing behind when too large', async () => {
    const key = `t/${randomUUID()}`;
    const err = await fetchUrlToStorage(server.url('/big.pdf'), toStorage(key), { ...allowed, maxBytes: 5 * MiB + 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UrlFetchError);
    expect(err).toMatchObject({ code: 'too_large' });
    expect(await storage.head(key)).toBeNull();
    expect(await uploadsLeft()).toEqual([]);
  });

  it('rejects with timeout and leaves nothing behind when the body stalls', async () => {
    const key = `t/${randomUUID()}`;
    const err = await fetchUrlToStorage(server.url('/stall'), toStorage(key), { ...allowed, timeoutMs: 500 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'timeout' });
    expect(await storage.head(key)).toBeNull();
    expect(await uploadsLeft()).toEqual([]);
  });
});
