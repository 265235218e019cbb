import { makeTextPng } from '@folio/documents/testing';
import type { Mistral } from '@mistralai/mistralai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { stackStorage } from '../../../apps/api/test/review/review.support.ts';
import { nanonetsHttp } from '../../../apps/api/test/support/nanonets.http.ts';
import { createQueues, createRedisConnection } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { raw, refusal, sdkFor, squash } from '../../../apps/api/test/mistral/mistral.support.ts';

/**
 * Folio's own presigned URLs as document inputs, on the default set-up (no URL_ALLOW_PRIVATE:
 * the embedded S3 server on 127.0.0.1 could not be fetched): the official SDK's upload → signed
 * URL → OCR flow reads the object from storage; another organization's, an expired and a
 * tampered URL are refused with 400 and leave nothing behind.
 */
describe('Folio`s own signed URLs as document_url and LabelUrls', () => {
  let stack: Stack;
  let sdk: Mistral;
  let other: Mistral;
  let otherKey = '';
  let otherModelId = '';
  let otherOrgId = '';
  let fileId = '';

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    sdk = sdkFor(stack);
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    otherOrgId = org.id;
    otherKey = (await stack.db.apiKeys.create(org.id)).plaintext;
    otherModelId = (await stack.db.models.create({ orgId: org.id, name: 'theirs' })).id;
    other = sdkFor(stack, otherKey);
    const up = await sdk.files.upload({ file: { fileName: 'receipt.png', content: await makeTextPng(['Receipt from the corner shop', 'Coffee 3.50']) }, purpose: 'ocr' });
    fileId = up.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('upload → getSignedUrl → ocr.process(document_url) reads the object from storage', async () => {
    const signed = await sdk.files.getSignedUrl({ fileId });
    expect(new URL(signed.url).hostname).toBe('127.0.0.1');
    const res = await sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: signed.url } });
    expect(squash(res.pages[0]!.markdown)).toContain('CORNERSHOP');
    const copies = await stack.db.prisma.file.findMany({ where: { source: 'URL' } });
    // The row keeps the URL without its signature (a credential nobody needs again).
    expect(copies.map((f) => [f.filename, f.sourceUrl?.includes('X-Amz-Signature')])).toEqual([['receipt.png', false]]);
  });

  it('Files status tells processing from processed', async () => {
    await sdk.ocr.process({ model: null, document: { type: 'file', fileId } });
    expect((await raw(stack, 'GET', `/v1/files/${fileId}`)).body.status).toBe('complete');
    // A file whose OCR is still running (set on the row: the real window is a few hundred ms).
    await stack.db.prisma.file.update({ where: { id: fileId }, data: { status: 'PROCESSING' } });
    try {
      expect((await raw(stack, 'GET', `/v1/files/${fileId}`)).body.status).toBe('processing');
      const listed = (await raw(stack, 'GET', '/v1/files')).body.data as Array<{ id: string; status: string }>;
      expect(listed.find((f) => f.id === fileId)?.status).toBe('processing');
    } finally {
      await stack.db.prisma.file.update({ where: { id: fileId }, data: { status: 'COMPLETE' } });
    }
  });

  it('refuses another organization`s, an expired and a tampered signed URL with 400, keeping nothing', async () => {
    const signed = await sdk.files.getSignedUrl({ fileId });
    const expired = await stackStorage(stack).presignGet(`orgs/${stack.dev.orgId}/files/${fileId}/original`, { expiresInSeconds: 1 });
    const tampered = new URL(signed.url);
    tampered.searchParams.set('X-Amz-Expires', String(Number(tampered.searchParams.get('X-Amz-Expires')) + 1));
    const swapped = new URL(signed.url);
    swapped.pathname = swapped.pathname.replace(stack.dev.orgId, '00000000-0000-4000-8000-000000000000');
    await new Promise((r) => setTimeout(r, 1_100));
    const cases: Array<[string, Mistral, string, string]> = [
      ['other organization', other, signed.url, 'belongs to another organization'],
      ['expired', sdk, expired, 'it has expired'],
      ['tampered', sdk, tampered.toString(), 'signature is not valid'],
      ['other key, same signature', sdk, swapped.toString(), 'signature is not valid'],
      ['unsigned', sdk, signed.url.split('?')[0]!, 'is not a presigned URL'],
    ];
    for (const [name, client, url, reason] of cases) {
      const { result, before, after } = await leavesNothing(stack, () =>
        refusal(client.ocr.process({ model: null, document: { type: 'document_url', documentUrl: url } })),
      );
      expect(result.status, name).toBe(400);
      expect(result.body, name).toMatchObject({ object: 'error', code: 'storage_url_refused' });
      expect(String(result.body.message), name).toContain(reason);
      expect(after, name).toEqual(before);
    }
  });

  it('Nanonets LabelUrls: another organization`s signed URL is refused, its own is read', async () => {
    const signed = await sdk.files.getSignedUrl({ fileId });
    const stranger = nanonetsHttp(stack.api.url, otherKey);
    const { result, before, after } = await leavesNothing(stack, () =>
      stranger.postJson<{ reason: string }>(`/OCR/Model/${otherModelId}/LabelUrls/`, { urls: [signed.url] }),
    );
    expect(result.status).toBe(400);
    expect(result.body.reason).toBe('storage_url_refused');
    expect(after).toEqual(before);

    const own = await nanonetsHttp(stack.api.url, stack.dev.apiKey).postJson<{ result: Array<{ prediction: Array<{ ocr_text: string }> }> }>(
      `/OCR/Model/${stack.dev.modelId}/LabelUrls/`,
      { urls: [signed.url] },
    );
    expect(own.status).toBe(200);
    expect(squash(own.body.result[0]!.prediction.map((p) => p.ocr_text).join(' '))).toContain('CORNER');
  });

  it('ingest reads a row`s own signed URL from storage and fails another organization`s without fetching it', async () => {
    // Rows the API would not record (it copies or refuses such URLs at admission): what an older
    // row or another path could leave for the worker.
    const signed = (await sdk.files.getSignedUrl({ fileId })).url;
    const redis = createRedisConnection(stack.env.REDIS_URL as string);
    const queues = createQueues({ connection: redis, prefix: stack.env.QUEUE_PREFIX as string });
    try {
      const row = async (orgId: string) => {
        const id = crypto.randomUUID();
        await stack.db.files.create({ id, orgId, filename: 'x', source: 'URL', sourceUrl: signed, storageKey: storageKeys.original(orgId, id), processingType: 'ASYNC' });
        await queues.enqueue('ingest', { fileId: id, orgId, requestId: 'test' });
        return id;
      };
      const theirs = await row(otherOrgId);
      const ours = await row(stack.dev.orgId);
      const final = (id: string) =>
        eventually(async () => {
          const f = await stack.db.files.findById(id);
          return f && ['COMPLETE', 'PARTIAL', 'FAILED'].includes(f.status) ? f : undefined;
        }, 30_000, `file ${id} final`);
      expect(await final(theirs)).toMatchObject({ status: 'FAILED', errorCode: 'storage_url_refused', failure: { code: 'storage_url_refused', reason: 'other_organization' } });
      expect(await stackStorage(stack).head(storageKeys.original(otherOrgId, theirs))).toBeNull();
      expect(await final(ours)).toMatchObject({ status: 'COMPLETE', mime: 'image/png' });
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });
});
