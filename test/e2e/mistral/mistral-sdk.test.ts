import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import type { Mistral } from '@mistralai/mistralai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { dataUrl, raw, readAll, refusal, sdkFor, serveDocuments, squash } from '../../../apps/api/test/mistral/mistral.support.ts';

/**
 * The Files + OCR dialect driven by the official `@mistralai/mistralai` SDK against the real API,
 * worker and engine. OCR work is kept small: one A4 page and a few small PNGs.
 */
describe('Files + OCR with the official Mistral SDK', () => {
  let stack: Stack;
  let sdk: Mistral;
  let openapi: OpenApiValidator;
  let docs: Awaited<ReturnType<typeof serveDocuments>>;
  const pdf = makeTextPdf([['Folio upload test', 'Invoice number 4711']], { fontSize: 28 });
  let png: Uint8Array;
  let servedPng: Uint8Array;
  let inlinePng: Uint8Array;
  let pdfId = '';
  let pngId = '';

  beforeAll(async () => {
    // The fixture server and the S3 server of signed URLs live on loopback.
    stack = await startStack({ URL_ALLOW_PRIVATE: '127.0.0.0/8' });
    await stack.startWorker();
    sdk = sdkFor(stack);
    openapi = await openApiValidator(stack.api.url);
    png = await makeTextPng(['Receipt from the corner shop', 'Coffee 3.50']);
    servedPng = await makeTextPng(['Served over HTTP', 'Order 2024']);
    inlinePng = await makeTextPng(['Inline data content', 'Total 99']);
    docs = await serveDocuments({ '/scan.png': { bytes: servedPng, type: 'image/png' } });
  });
  afterAll(async () => {
    await docs?.close();
    await stack?.close();
  });

  it('uploads a PDF and a PNG: file objects with no model, listed newest first with page/page_size', async () => {
    const up = await sdk.files.upload({ file: { fileName: 'invoice.pdf', content: pdf }, purpose: 'ocr' });
    expect(up).toMatchObject({ object: 'file', filename: 'invoice.pdf', sizeBytes: pdf.length, purpose: 'ocr', mimetype: 'application/pdf' });
    pdfId = up.id;
    const second = await sdk.files.upload({ file: { fileName: 'receipt.png', content: png }, purpose: 'ocr', expiry: 48 });
    pngId = second.id;
    expect(second.expiresAt! - second.createdAt).toBeGreaterThanOrEqual(48 * 3600 - 1);
    expect(second.expiresAt! - second.createdAt).toBeLessThanOrEqual(48 * 3600 + 5);
    const row = await stack.db.files.findById(pdfId);
    expect(row).toMatchObject({ modelId: null, purpose: 'ocr', mime: 'application/pdf', pageCount: 1 });

    const all = await sdk.files.list({});
    expect(all.total).toBe(2);
    expect(all.data.map((f) => f.id)).toEqual([pngId, pdfId]);
    const first = await sdk.files.list({ page: 0, pageSize: 1 });
    const next = await sdk.files.list({ page: 1, pageSize: 1 });
    expect([first.data[0]?.id, next.data[0]?.id]).toEqual([pngId, pdfId]);
    const rawList = await raw(stack, 'GET', '/v1/files?page_size=1&include_total=false');
    expect(rawList.body).not.toHaveProperty('total');
    expect(openapi.check('filesList', 200, rawList.body)).toEqual([]);
    const cursor = await raw(stack, 'GET', `/v1/files?limit=5&after=${pngId}`);
    expect((cursor.body.data as Array<{ id: string }>).map((f) => f.id)).toEqual([pdfId]);

    const got = await sdk.files.retrieve({ fileId: pdfId });
    expect(got).toMatchObject({ id: pdfId, filename: 'invoice.pdf', sizeBytes: pdf.length, deleted: false });
    expect(openapi.check('filesRetrieve', 200, (await raw(stack, 'GET', `/v1/files/${pdfId}`)).body)).toEqual([]);
  });

  it('hands out the original by presigned URL and by content download', async () => {
    const signed = await sdk.files.getSignedUrl({ fileId: pdfId, expiry: 1 });
    const viaUrl = await fetch(signed.url);
    expect(viaUrl.status).toBe(200);
    expect(Buffer.from(await viaUrl.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    const content = await fetch(`${stack.api.url}/v1/files/${pdfId}/content`, { headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
    expect(content.headers.get('content-type')).toBe('application/octet-stream');
    expect(content.headers.get('content-disposition')).toContain('invoice.pdf');
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
    const viaSdk = await readAll(await sdk.files.download({ fileId: pngId }));
    expect(viaSdk.equals(Buffer.from(png))).toBe(true);
  });

  it('OCRs the uploaded PDF by file id (SDK) and through /v1/files/{id}/ocr, with the page image', async () => {
    const res = await sdk.ocr.process({ model: null, document: { type: 'file', fileId: pdfId }, includeImageBase64: true });
    expect(res.pages).toHaveLength(1);
    const [page] = res.pages;
    expect(squash(page!.markdown)).toContain('INVOICENUMBER4711');
    expect(squash(page!.markdown)).toContain('FOLIOUPLOADTEST');
    expect(page!.images[0]?.imageBase64).toMatch(/^data:image\/png;base64,/);
    expect(page!.dimensions).toMatchObject({ dpi: expect.any(Number), width: expect.any(Number), height: expect.any(Number) });
    expect(page!.dimensions!.height).toBeGreaterThan(page!.dimensions!.width);
    expect(res.usageInfo).toMatchObject({ pagesProcessed: 1, docSizeBytes: pdf.length });

    const direct = await raw(stack, 'POST', `/v1/files/${pdfId}/ocr`, { json: { model: 'deepseek-ai/DeepSeek-OCR', pages: '0' } });
    expect(direct.status).toBe(200);
    expect(openapi.check('filesOcr', 200, direct.body)).toEqual([]);
    const pages = direct.body.pages as Array<{ index: number; markdown: string; images: unknown[] }>;
    expect(pages.map((p) => [p.index, p.markdown, p.images])).toEqual([[0, page!.markdown, []]]);
    expect(direct.body.model).toBe('deepseek-ai/DeepSeek-OCR');
  });

  it('OCRs a document URL served from 127.0.0.1 (allow-listed) without listing it as an upload', async () => {
    const res = await sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: docs.url('/scan.png') }, pages: [0] });
    expect(squash(res.pages[0]!.markdown)).toContain('SERVEDOVERHTTP');
    expect(res.usageInfo.docSizeBytes).toBe(servedPng.length);
    const listed = await sdk.files.list({});
    expect(listed.total).toBe(2);
  });

  it('OCRs a data: URI given as document_url (SDK) and as the seed`s content document', async () => {
    const viaSdk = await sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: dataUrl(inlinePng, 'image/png') } });
    expect(squash(viaSdk.pages[0]!.markdown)).toContain('INLINEDATACONTENT');

    const seed = await raw(stack, 'POST', '/v1/ocr', {
      json: { model: 'zai-org/GLM-OCR', document: { type: 'content', document_content: dataUrl(inlinePng, 'image/png') }, include_image_base64: true },
    });
    expect(seed.status).toBe(200);
    expect(openapi.check('ocrProcess', 200, seed.body)).toEqual([]);
    const [page] = seed.body.pages as Array<{ markdown: string; images: Array<{ image_base64: string }>; dimensions: { width: number } }>;
    expect(page!.markdown).toBe(viaSdk.pages[0]!.markdown);
    expect(page!.images[0]!.image_base64).toMatch(/^data:image\/png;base64,/);
    expect(seed.body.usage_info).toMatchObject({ pages_processed: 1, doc_size_bytes: inlinePng.length });
  });

  it('follows the seed`s signed-URL flow: upload, sign, OCR the signed URL', async () => {
    const signed = await sdk.files.getSignedUrl({ fileId: pngId });
    const res = await sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: signed.url } });
    expect(squash(res.pages[0]!.markdown)).toContain('CORNERSHOP');
    // Loopback is allow-listed here, yet another organization cannot read the object through it.
    const org = await stack.db.organizations.create({ name: 'Another tenant' });
    const stranger = sdkFor(stack, (await stack.db.apiKeys.create(org.id)).plaintext);
    const { result, before, after } = await leavesNothing(stack, () =>
      refusal(stranger.ocr.process({ model: null, document: { type: 'document_url', documentUrl: signed.url } })),
    );
    expect(result).toMatchObject({ status: 400, body: { object: 'error', code: 'storage_url_refused' } });
    expect(after).toEqual(before);

    // A URL elsewhere that redirects to the storage is not followed there, signed or not.
    const redirector = createServer((_req, res) => res.writeHead(302, { location: signed.url }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const hop = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/doc.png`;
      const refused = await refusal(stranger.ocr.process({ model: null, document: { type: 'document_url', documentUrl: hop } }));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body).toMatchObject({ object: 'error', code: 'url_forbidden_address' });
      expect(String(refused.body.message)).toContain("Folio's own storage");
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it('answers 400 and keeps nothing when the URL cannot be fetched', async () => {
    const { result, before, after } = await leavesNothing(stack, () =>
      refusal(sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: docs.url('/missing.pdf') } })),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ object: 'error', type: 'invalid_request_error', code: expect.stringMatching(/^url_/) });
    expect(after).toEqual(before);
  });

  it('deletes: 404 everywhere afterwards, gone from the list', async () => {
    const del = await sdk.files.delete({ fileId: pdfId });
    expect(del).toEqual({ id: pdfId, object: 'file', deleted: true });
    for (const call of [
      () => sdk.files.retrieve({ fileId: pdfId }),
      () => sdk.files.getSignedUrl({ fileId: pdfId }),
      () => sdk.files.download({ fileId: pdfId }),
      () => sdk.files.delete({ fileId: pdfId }),
      () => sdk.ocr.process({ model: null, document: { type: 'file', fileId: pdfId } }),
    ]) {
      const refused = await refusal(call());
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ object: 'error', type: 'not_found_error' });
    }
    expect((await raw(stack, 'POST', `/v1/files/${pdfId}/ocr`, { json: {} })).status).toBe(404);
    expect((await sdk.files.list({})).data.map((f) => f.id)).toEqual([pngId]);
    expect((await stack.db.files.findById(pdfId))?.deletedAt).toBeInstanceOf(Date);
  });
});
