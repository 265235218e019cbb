import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, startEmbeddedS3, StorageError, type EmbeddedS3, type Storage } from '../src/index.ts';

/**
 * The embedded S3 server is no way around Folio: a process on the same host that reaches its
 * port with no credentials, wrong ones, or a presigned URL that expired or was edited, is
 * refused (403) and learns nothing — not even the list of keys.
 */
const CREDS = { accessKeyId: 'folio-key', secretAccessKey: 'folio-secret-0123456789' };
const BUCKET = 'guarded';

let dir: string;
let s3: EmbeddedS3;
let folio: Storage;
const client = (accessKeyId: string, secretAccessKey: string) =>
  createStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId, secretAccessKey, forcePathStyle: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'folio-s3-auth-'));
  s3 = await startEmbeddedS3({ directory: dir, buckets: [BUCKET], credentials: CREDS });
  folio = client(CREDS.accessKeyId, CREDS.secretAccessKey);
  await folio.putBuffer('orgs/a/files/1/original', Buffer.from('organization A secret'), 'text/plain');
  await folio.putBuffer('orgs/b/files/2/original', Buffer.from('organization B secret'), 'text/plain');
});
afterAll(async () => {
  folio?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}

describe('embedded S3 signature checks', () => {
  it('refuses unsigned listing, reads, writes and deletes', async () => {
    const list = await fetch(`${s3.endpoint}/${BUCKET}`);
    expect(list.status).toBe(403);
    const body = await list.text();
    expect(body).toContain('AccessDenied');
    expect(body).not.toContain('orgs/');
    expect((await fetch(`${s3.endpoint}/`)).status).toBe(403);
    expect((await fetch(`${s3.endpoint}/${BUCKET}/orgs/a/files/1/original`)).status).toBe(403);
    const put = await fetch(`${s3.endpoint}/${BUCKET}/orgs/a/files/1/original`, { method: 'PUT', body: 'overwritten' });
    expect(put.status).toBe(403);
    expect((await fetch(`${s3.endpoint}/${BUCKET}/orgs/a/files/1/original`, { method: 'DELETE' })).status).toBe(403);
    // A SigV2-looking or garbage Authorization header is no better.
    const v2 = await fetch(`${s3.endpoint}/${BUCKET}`, { headers: { authorization: 'AWS S3RVER:abc=' } });
    expect(v2.status).toBe(403);
    expect((await folio.getBuffer('orgs/a/files/1/original')).toString()).toBe('organization A secret');
  });

  it('refuses a client with a wrong secret, an unknown key, or s3rver’s built-in key', async () => {
    for (const [id, secret, code] of [
      [CREDS.accessKeyId, 'wrong-secret', 'SignatureDoesNotMatch'],
      ['someone-else', CREDS.secretAccessKey, 'InvalidAccessKeyId'],
      ['S3RVER', 'S3RVER', 'InvalidAccessKeyId'],
    ] as const) {
      const intruder = client(id, secret);
      const err = await intruder.getBuffer('orgs/a/files/1/original').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('failed');
      expect(String((err as Error).message)).toContain(code);
      await expect(intruder.putBuffer('orgs/a/files/1/original', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(StorageError);
      intruder.close();
    }
    expect((await folio.getBuffer('orgs/a/files/1/original')).toString()).toBe('organization A secret');
  });

  it('serves a valid presigned URL and refuses it expired or tampered with', async () => {
    const url = await folio.presignGet('orgs/a/files/1/original', { expiresInSeconds: 60 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('organization A secret');

    // Pointed at another organization's object: the path is signed.
    const otherKey = url.replace('/orgs/a/files/1/original', '/orgs/b/files/2/original');
    const moved = await fetch(otherKey);
    expect(moved.status).toBe(403);
    expect(await codeOf(moved)).toBe('SignatureDoesNotMatch');
    // Lifetime stretched: the expiry is signed too.
    const stretched = await fetch(url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'));
    expect(stretched.status).toBe(403);
    // Signature dropped: anonymous.
    expect((await fetch(url.replace(/&?X-Amz-Signature=[0-9a-f]+/, ''))).status).toBe(403);
    // A PUT with a GET's signature.
    expect((await fetch(url, { method: 'PUT', body: 'overwritten' })).status).toBe(403);

    const short = await folio.presignGet('orgs/a/files/1/original', { expiresInSeconds: 1 });
    expect((await fetch(short)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    const expired = await fetch(short);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
  });

  it('accepts a presigned PUT for its key only', async () => {
    const url = await folio.presignPut('orgs/a/files/3/original', { expiresInSeconds: 60, contentType: 'text/plain' });
    const put = await fetch(url, { method: 'PUT', body: 'uploaded', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    expect((await folio.getBuffer('orgs/a/files/3/original')).toString()).toBe('uploaded');
    const elsewhere = await fetch(url.replace('/files/3/', '/files/4/'), { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(elsewhere.status).toBe(403);
    expect(await folio.head('orgs/a/files/4/original')).toBeNull();
  });
});
