import { describe, expect, it } from 'vitest';
import { createStorage } from './storage.client.ts';

const cfg = {
  endpoint: 'http://127.0.0.1:9000',
  region: 'us-east-1',
  bucket: 'folio',
  accessKeyId: 'AKFOLIO',
  secretAccessKey: 'secret-of-folio',
  forcePathStyle: true,
};
const key = 'orgs/o1/files/f1/original';

describe('storage.inspectUrl', () => {
  const storage = createStorage(cfg);

  it('recognises its own presigned GET URL, with and without a download filename', async () => {
    const plain = await storage.presignGet(key, { expiresInSeconds: 60 });
    expect(storage.inspectUrl(plain)).toEqual({ kind: 'object', key });
    const named = await storage.presignGet('orgs/o1/files/f1/pages/00000.png', { expiresInSeconds: 60, filename: "rapport d'été (1).pdf" });
    expect(storage.inspectUrl(named)).toEqual({ kind: 'object', key: 'orgs/o1/files/f1/pages/00000.png' });
    // localhost reaches the same server as 127.0.0.1: the same URL through it is still ours.
    expect(storage.inspectUrl(plain.replace('127.0.0.1', 'localhost')).kind).toBe('refused');
  });

  it('refuses tampered, expired, unsigned, PUT and other-bucket URLs on its endpoint', async () => {
    const url = new URL(await storage.presignGet(key, { expiresInSeconds: 60 }));
    const otherKey = new URL(url);
    otherKey.pathname = '/folio/orgs/o2/files/f1/original';
    expect(storage.inspectUrl(otherKey.toString())).toEqual({ kind: 'refused', reason: 'bad_signature' });
    const sig = url.searchParams.get('X-Amz-Signature') ?? '';
    const flipped = new URL(url);
    flipped.searchParams.set('X-Amz-Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    expect(storage.inspectUrl(flipped.toString())).toEqual({ kind: 'refused', reason: 'bad_signature' });
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '999999');
    expect(storage.inspectUrl(longer.toString())).toEqual({ kind: 'refused', reason: 'bad_signature' });
    expect(storage.inspectUrl(url.toString(), new Date(Date.now() + 61_000))).toEqual({ kind: 'refused', reason: 'expired' });
    expect(storage.inspectUrl(`http://127.0.0.1:9000/folio/${key}`)).toEqual({ kind: 'refused', reason: 'unsigned' });
    expect(storage.inspectUrl(`http://127.0.0.1:9000/other/${key}`)).toEqual({ kind: 'refused', reason: 'other_bucket' });
    const put = await storage.presignPut(key, { expiresInSeconds: 60, contentType: 'application/pdf' });
    expect(storage.inspectUrl(put).kind).toBe('refused');
    const stranger = createStorage({ ...cfg, secretAccessKey: 'another-secret' });
    expect(storage.inspectUrl(await stranger.presignGet(key, { expiresInSeconds: 60 }))).toEqual({ kind: 'refused', reason: 'bad_signature' });
  });

  it('knows every local spelling of a loopback endpoint as the endpoint', () => {
    for (const host of ['localhost', '127.0.0.2', '0.0.0.0', '[::1]', '[::]', '[::ffff:127.0.0.1]', '2130706433', '127.1']) {
      expect(storage.inspectUrl(`http://${host}:9000/folio/${key}`), host).toEqual({ kind: 'refused', reason: 'unsigned' });
    }
    expect(storage.inspectUrl(`http://10.0.0.1:9000/folio/${key}`)).toEqual({ kind: 'foreign' });
  });

  it('tells the URL fetcher which connections would reach the storage', async () => {
    const signed = new URL(await storage.presignGet(key, { expiresInSeconds: 60 }));
    expect(storage.reachesStorage(signed, '127.0.0.1')).toBe(true);
    // A name that resolves to loopback, on the endpoint's port.
    expect(storage.reachesStorage(new URL('http://files.example:9000/folio/x'), '127.0.0.1')).toBe(true);
    expect(storage.reachesStorage(new URL('http://files.example:9000/folio/x'), '::ffff:7f00:1')).toBe(true);
    expect(storage.reachesStorage(new URL('http://files.example:9000/folio/x'), '93.184.216.34')).toBe(false);
    expect(storage.reachesStorage(new URL('http://files.example:8080/x'), '127.0.0.1')).toBe(false);
  });

  it('leaves URLs elsewhere to the URL policy', () => {
    expect(storage.inspectUrl('https://example.com/folio/orgs/o1/files/f1/original')).toEqual({ kind: 'foreign' });
    expect(storage.inspectUrl('http://127.0.0.1:9001/folio/x')).toEqual({ kind: 'foreign' });
  });

  it('recognises AWS hosts when no endpoint is set', async () => {
    const aws = createStorage({ ...cfg, endpoint: undefined, forcePathStyle: false });
    const url = await aws.presignGet(key, { expiresInSeconds: 60 });
    expect(new URL(url).hostname).toBe('folio.s3.us-east-1.amazonaws.com');
    expect(aws.inspectUrl(url)).toEqual({ kind: 'object', key });
    expect(aws.inspectUrl('https://s3.us-east-1.amazonaws.com/somebody-else/x.pdf')).toEqual({ kind: 'foreign' });
  });
});
