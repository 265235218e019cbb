import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, startEmbeddedS3, StorageError, type EmbeddedS3, type Storage } from '../src/index.ts';

const MiB = 1024 * 1024;

/** A stream of `total` pseudo-random bytes in uneven chunks, with no known length. */
function randomStream(total: number, seed = 1): { stream: Readable; sha256: string } {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let left = total;
  let i = seed;
  while (left > 0) {
    const n = Math.min(left, 64 * 1024 + ((i * 7919) % 50_000));
    const chunk = randomBytes(n);
    hash.update(chunk);
    chunks.push(chunk);
    left -= n;
    i++;
  }
  // Generated lazily chunk by chunk so the body really is a stream, not one buffer.
  let k = 0;
  const stream = new Readable({
    read() {
      this.push(k < chunks.length ? chunks[k++] : null);
    },
  });
  return { stream, sha256: hash.digest('hex') };
}

async function expectCode(p: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
  return err as StorageError;
}

let dir: string;
let s3: EmbeddedS3;
/** Every request the main server saw, as `METHOD /path?query`. */
const seen: string[] = [];
const uploadsLeft = async (): Promise<string[]> =>
  readdir(join(dir, storage.bucket, '._S3rver_uploads')).catch(() => [] as string[]);
let storage: Storage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'folio-storage-'));
  s3 = await startEmbeddedS3({ directory: dir, onRequest: (m, u) => seen.push(`${m} ${u}`) });
  storage = createStorage({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: `t-${randomUUID().slice(0, 8)}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  await storage.ensureBucket();
  await storage.ensureBucket(); // idempotent
});

afterAll(async () => {
  storage?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('embedded S3', () => {
  it('listens on a random loopback port over real HTTP', async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(s3.endpoint).port)).toBeGreaterThan(0);
    expect(await storage.ping()).toBe(true);
  });

  it('keeps objects on disk across a restart of the server', async () => {
    const d = await mkdtemp(join(tmpdir(), 'folio-storage-restart-'));
    const cfg = { region: 'us-east-1', bucket: 'persist', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
    const first = await startEmbeddedS3({ directory: d, buckets: ['persist'] });
    const a = createStorage({ ...cfg, endpoint: first.endpoint });
    await a.putBuffer('k.txt', Buffer.from('kept'), 'text/plain');
    a.close();
    await first.close();
    const second = await startEmbeddedS3({ directory: d });
    const b = createStorage({ ...cfg, endpoint: second.endpoint });
    expect((await b.getBuffer('k.txt')).toString()).toBe('kept');
    b.close();
    await second.close();
    await rm(d, { recursive: true, force: true });
  });

  it('accepts extra credentials when asked', async () => {
    const d = await mkdtemp(join(tmpdir(), 'folio-storage-cred-'));
    const srv = await startEmbeddedS3({ directory: d, buckets: ['creds'], credentials: { accessKeyId: 'folio-key', secretAccessKey: 'folio-secret' } });
    const st = createStorage({ endpoint: srv.endpoint, region: 'us-east-1', bucket: 'creds', accessKeyId: 'folio-key', secretAccessKey: 'folio-secret', forcePathStyle: true });
    await st.putBuffer('x', Buffer.from('y'), 'text/plain');
    expect(await st.head('x')).toEqual({ bytes: 1, contentType: 'text/plain' });
    st.close();
    await srv.close();
    await rm(d, { recursive: true, force: true });
  });
});

describe('storage', () => {
  it('streams a small upload with its sha256 and reads it back', async () => {
    const body = Buffer.from('%PDF-1.7 hello folio\n');
    const res = await storage.putStream('files/small.pdf', Readable.from([body.subarray(0, 5), body.subarray(5)]), {
      contentType: 'application/pdf',
    });
    expect(res).toEqual({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    expect(await storage.head('files/small.pdf')).toEqual({ bytes: body.length, contentType: 'application/pdf' });
    expect((await storage.getBuffer('files/small.pdf')).equals(body)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of await storage.getStream('files/small.pdf')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
  });

  it('stores an empty stream as an empty object', async () => {
    const res = await storage.putStream('files/empty.bin', Readable.from([]), { contentType: 'application/octet-stream' });
    expect(res).toEqual({ bytes: 0, sha256: createHash('sha256').digest('hex') });
    expect(await storage.head('files/empty.bin')).toMatchObject({ bytes: 0 });
  });

  it('uploads 12 MiB of unknown length as multipart, streamed, with the right sha256', async () => {
    const total = 12 * MiB + 12345;
    const { stream, sha256 } = randomStream(total);
    const before = process.memoryUsage().rss;
    seen.length = 0;
    const res = await storage.putStream('files/big.bin', stream, { contentType: 'application/octet-stream' });
    // 5 MiB parts: initiate, 3 parts, complete.
    expect(seen.filter((r) => r.startsWith('POST /') && /\?uploads=?$/.test(r))).toHaveLength(1);
    expect(seen.filter((r) => r.startsWith('PUT /') && r.includes('partNumber='))).toHaveLength(3);
    expect(res).toEqual({ bytes: total, sha256 });
    expect(await storage.head('files/big.bin')).toEqual({ bytes: total, contentType: 'application/octet-stream' });
    const back = await storage.getStream('files/big.bin');
    const h = createHash('sha256');
    let n = 0;
    for await (const c of back) {
      h.update(c as Buffer);
      n += (c as Buffer).length;
    }
    expect(n).toBe(total);
    expect(h.digest('hex')).toBe(sha256);
    // s3rver assembles parts from its upload directory; none is left once complete.
    expect(await uploadsLeft()).toEqual([]);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB);
  });

  it('aborts a multipart upload past maxBytes and leaves no object', async () => {
    const { stream } = randomStream(14 * MiB, 2);
    seen.length = 0;
    const err = await expectCode(
      storage.putStream('files/too-big.bin', stream, { contentType: 'application/octet-stream', maxBytes: 11 * MiB }),
      'too_large',
    );
    expect(err.message).toContain(String(11 * MiB));
    expect(await storage.head('files/too-big.bin')).toBeNull();
    // Parts were sent, then the multipart upload was aborted and its parts removed.
    expect(seen.some((r) => r.includes('partNumber='))).toBe(true);
    expect(seen.some((r) => r.startsWith('DELETE /') && r.includes('uploadId='))).toBe(true);
    expect(await uploadsLeft()).toEqual([]);
    // The source is left for the caller: it was not destroyed.
    expect(stream.destroyed).toBe(false);
  });

  it('rejects a small body past maxBytes and leaves no object', async () => {
    await expectCode(
      storage.putStream('files/small-too-big.txt', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), {
        contentType: 'text/plain',
        maxBytes: 1000,
      }),
      'too_large',
    );
    expect(await storage.head('files/small-too-big.txt')).toBeNull();
  });

  it('accepts a body of exactly maxBytes', async () => {
    const res = await storage.putStream('files/exact.bin', Readable.from([Buffer.alloc(1000, 7)]), {
      contentType: 'application/octet-stream',
      maxBytes: 1000,
    });
    expect(res.bytes).toBe(1000);
  });

  it('fails an upload whose source errors midway, leaving no object', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent >= 6 * MiB) {
          this.destroy(new Error('client hung up'));
          return;
        }
        sent += MiB;
        this.push(randomBytes(MiB));
      },
    });
    const err = await expectCode(storage.putStream('files/broken.bin', failing, { contentType: 'application/octet-stream' }), 'failed');
    expect(err.message).toContain('client hung up');
    expect(await storage.head('files/broken.bin')).toBeNull();
    expect(await uploadsLeft()).toEqual([]);
  });

  it('puts a buffer with its sha256', async () => {
    const buf = Buffer.from('{"a":1}');
    expect(await storage.putBuffer('pages/p1.json', buf, 'application/json')).toEqual({
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
    });
    expect((await storage.getBuffer('pages/p1.json')).toString()).toBe('{"a":1}');
  });

  it('serves a presigned GET to plain fetch(), with a download name', async () => {
    await storage.putBuffer('files/report.txt', Buffer.from('presigned body'), 'text/plain');
    const url = await storage.presignGet('files/report.txt', { expiresInSeconds: 60, filename: 'Rapport é "final".txt' });
    expect(url).toContain('X-Amz-Signature=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned body');
    const cd = res.headers.get('content-disposition') ?? '';
    expect(cd).toContain('attachment');
    expect(cd).toContain("filename*=UTF-8''Rapport%20%C3%A9%20%22final%22.txt");
  });

  it('accepts a presigned PUT from plain fetch()', async () => {
    const url = await storage.presignPut('files/uploaded.txt', { expiresInSeconds: 60, contentType: 'text/plain' });
    const res = await fetch(url, { method: 'PUT', body: 'via presigned put', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect((await storage.getBuffer('files/uploaded.txt')).toString()).toBe('via presigned put');
  });

  it('deletes one object and deleting again succeeds', async () => {
    await storage.putBuffer('tmp/one.txt', Buffer.from('1'), 'text/plain');
    await storage.delete('tmp/one.txt');
    expect(await storage.head('tmp/one.txt')).toBeNull();
    await storage.delete('tmp/one.txt');
  });

  it('deletes everything under a prefix and nothing else', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `org-1/file-9/page-${i}.png`);
    await Promise.all(keys.map((k) => storage.putBuffer(k, Buffer.from(k), 'image/png')));
    await storage.putBuffer('org-1/file-90/keep.png', Buffer.from('keep'), 'image/png');
    expect(await storage.deletePrefix('org-1/file-9/')).toBe(25);
    for (const k of keys.slice(0, 3)) expect(await storage.head(k)).toBeNull();
    expect(await storage.head('org-1/file-90/keep.png')).not.toBeNull();
    expect(await storage.deletePrefix('org-1/file-9/')).toBe(0);
    await expectCode(storage.deletePrefix(''), 'failed');
  });

  it('lists the folders directly under a prefix, each once', async () => {
    for (const k of ['tree/a/1.txt', 'tree/a/2.txt', 'tree/b/deep/3.txt', 'tree/top.txt', 'treeish/x.txt']) {
      await storage.putBuffer(k, Buffer.from(k), 'text/plain');
    }
    expect((await storage.listPrefixes('tree/')).sort()).toEqual(['tree/a/', 'tree/b/']);
    expect(await storage.listPrefixes('tree/b/')).toEqual(['tree/b/deep/']);
    expect(await storage.listPrefixes('nothing-here/')).toEqual([]);
    await storage.deletePrefix('tree/');
    await storage.deletePrefix('treeish/');
  });

  it('answers not_found for missing objects and null from head', async () => {
    await expectCode(storage.getBuffer('nope/missing.bin'), 'not_found');
    await expectCode(storage.getStream('nope/missing.bin'), 'not_found');
    expect(await storage.head('nope/missing.bin')).toBeNull();
  });

  it('reports unavailable when the endpoint is down, and ping says false', async () => {
    const down = await startEmbeddedS3({ directory: join(dir, 'down') });
    const endpoint = down.endpoint;
    await down.close();
    const st = createStorage({
      endpoint,
      region: 'us-east-1',
      bucket: 'gone',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      maxAttempts: 1,
    });
    expect(await st.ping({ timeoutMs: 1000 })).toBe(false);
    await expectCode(st.getBuffer('x'), 'unavailable');
    await expectCode(st.putStream('x', Readable.from([Buffer.from('abc')]), { contentType: 'text/plain' }), 'unavailable');
    st.close();
  });

  it('rejects a bad configuration up front', () => {
    expect(() =>
      createStorage({ region: 'us-east-1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true }),
    ).toThrow();
  });
});
