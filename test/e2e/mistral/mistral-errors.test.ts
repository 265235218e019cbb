import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import type { Mistral } from '@mistralai/mistralai';
import { HTTPValidationError } from '@mistralai/mistralai/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { dataUrl, raw, refusal, sdkFor } from '../../../apps/api/test/mistral/mistral.support.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/**
 * Every bad input answers a clear 4xx in the Mistral shape and leaves no row and no S3 object.
 * Default configuration (no private-network allow-list); the worker runs ingest only, which is
 * where unreadable documents are refused: no page is ever OCR'd here.
 */
describe('Files + OCR: bad inputs', () => {
  let stack: Stack;
  let sdk: Mistral;
  let openapi: OpenApiValidator;
  let png: Uint8Array;
  let pngId = '';

  const upload = (bytes: Uint8Array, fileName: string, type: string, purpose: 'ocr' | 'batch' = 'ocr') =>
    sdk.files.upload({ file: new File([Buffer.from(bytes)], fileName, { type }), purpose });

  /** Runs a refused call, checks nothing stayed behind, and returns status and body. */
  const refusedCleanly = async (call: () => Promise<unknown>) => {
    const { result, before, after } = await leavesNothing(stack, () => refusal(call()));
    expect(after).toEqual(before);
    return result;
  };

  beforeAll(async () => {
    // Nothing is ever OCR'd here, so a short sync wait only shortens the 503 test.
    stack = await startStack({ SYNC_TIMEOUT_MS: '1500' });
    await stack.startWorker({ WORKER_QUEUES: 'ingest' });
    sdk = sdkFor(stack);
    openapi = await openApiValidator(stack.api.url);
    png = await makeTextPng(['Small sample']);
    pngId = (await upload(png, 'sample.png', 'image/png')).id;
  });
  afterAll(() => stack?.close());

  describe('POST /v1/files', () => {
    it('refuses an empty file', async () => {
      const r = await refusedCleanly(() => upload(new Uint8Array(0), 'empty.pdf', 'application/pdf'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ object: 'error', type: 'invalid_request_error', code: 'empty' });
      expect(r.body.message).toContain('empty');
      expect(openapi.check('filesUpload', 400, r.body)).toEqual([]);
    });

    it('refuses a PNG declared as a PDF (lying type)', async () => {
      const r = await refusedCleanly(() => upload(png, 'fake.pdf', 'application/pdf'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ object: 'error', code: 'type_mismatch' });
      expect(r.body.message).toMatch(/pdf/i);
    });

    it('refuses a type it does not read (plain text)', async () => {
      const r = await refusedCleanly(() => upload(new TextEncoder().encode('just some text\n'), 'notes.txt', 'text/plain'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ object: 'error', code: 'unsupported_type' });
    });

    it('refuses a corrupt PDF once ingest has looked at it', async () => {
      const corrupt = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf body\n%%EOF\n');
      const r = await refusedCleanly(() => upload(corrupt, 'broken.pdf', 'application/pdf'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ object: 'error', code: 'corrupt' });
    });

    it('refuses a password-protected PDF', async () => {
      const locked = makeTextPdf([['Secret']], { encrypt: { userPassword: 'secret', ownerPassword: 'owner' } });
      const r = await refusedCleanly(() => upload(locked, 'locked.pdf', 'application/pdf'));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ object: 'error', code: 'encrypted' });
      expect(r.body.message).toMatch(/password|encrypt/i);
    });

    it('refuses a purpose other than ocr with a FastAPI 422', async () => {
      const r = await refusedCleanly(() => upload(png, 'sample.png', 'image/png', 'batch'));
      expect(r.status).toBe(422);
      expect(r.body).toEqual({ detail: [{ loc: ['body', 'purpose'], msg: 'purpose is required and must be "ocr".', type: 'invalid_value' }] });
      expect(openapi.check('filesUpload', 422, r.body)).toEqual([]);
    });

    it('refuses a form without a file, and a body that is not multipart', async () => {
      const form = new FormData();
      form.append('purpose', 'ocr');
      const { result: noFile } = await leavesNothing(stack, () => raw(stack, 'POST', '/v1/files', { body: form }));
      expect(noFile.status).toBe(422);
      expect((noFile.body.detail as Array<{ loc: string[] }>)[0]?.loc).toEqual(['body', 'file']);
      const json = await raw(stack, 'POST', '/v1/files', { json: { purpose: 'ocr' } });
      expect(json.status).toBe(400);
      expect(json.body).toMatchObject({ object: 'error', code: 'not_multipart' });
    });
  });

  describe('ids and auth', () => {
    it('answers 404 in the Mistral shape for unknown and malformed ids', async () => {
      for (const id of [UNKNOWN, 'not-a-uuid']) {
        for (const call of [
          () => sdk.files.retrieve({ fileId: id }),
          () => sdk.files.delete({ fileId: id }),
          () => sdk.files.getSignedUrl({ fileId: id }),
          () => sdk.files.download({ fileId: id }),
          () => sdk.ocr.process({ model: null, document: { type: 'file', fileId: id } }),
        ]) {
          const r = await refusal(call());
          expect(r.status).toBe(404);
          expect(r.body).toMatchObject({ object: 'error', type: 'not_found_error', code: 'file_not_found' });
        }
      }
      const direct = await raw(stack, 'POST', `/v1/files/${UNKNOWN}/ocr`, { json: {} });
      expect(direct.status).toBe(404);
      expect(openapi.check('filesOcr', 404, direct.body)).toEqual([]);
    });

    it('refuses a nesting bomb in bbox_annotation_format with 422 before looking at the file', async () => {
      // Sent as text: serializing it here would overflow the test's own stack.
      const deep = `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`;
      for (const field of ['bbox_annotation_format', 'document_annotation_format']) {
        const res = await fetch(`${stack.api.url}/v1/files/${pngId}/ocr`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
          body: `{"${field}":${deep}}`,
        });
        expect(res.status).toBe(422);
        expect(await res.text()).toMatch(/nested at most 32 levels/);
      }
      // A real JSON schema, a few levels deep, is still accepted (and ignored).
      const schema = { type: 'json_schema', json_schema: { name: 'box', schema: { type: 'object', properties: { label: { type: 'string' } } } } };
      expect((await raw(stack, 'POST', `/v1/files/${UNKNOWN}/ocr`, { json: { bbox_annotation_format: schema } })).status).toBe(404);
    });

    it("answers 404 for another organization's file, and lists only the caller's", async () => {
      const org = await stack.db.organizations.create({ name: 'Other tenant' });
      const { plaintext } = await stack.db.apiKeys.create(org.id);
      const other = sdkFor(stack, plaintext);
      for (const call of [
        () => other.files.retrieve({ fileId: pngId }),
        () => other.files.download({ fileId: pngId }),
        () => other.files.getSignedUrl({ fileId: pngId }),
        () => other.files.delete({ fileId: pngId }),
        () => other.ocr.process({ model: null, document: { type: 'file', fileId: pngId } }),
      ]) {
        expect((await refusal(call())).status).toBe(404);
      }
      const seedShape = await raw(stack, 'POST', '/v1/ocr', {
        auth: `Bearer ${plaintext}`,
        json: { document: { type: 'file_id', file_id: pngId, org_id: stack.dev.orgId } },
      });
      expect(seedShape.status).toBe(404);
      expect(await other.files.list({})).toMatchObject({ data: [], total: 0 });
      expect((await sdk.files.retrieve({ fileId: pngId })).id).toBe(pngId);
    });

    it('answers 401 with a Bearer challenge without a key or with a wrong one', async () => {
      const anonymous = await raw(stack, 'GET', '/v1/files', { auth: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(anonymous.body).toMatchObject({ object: 'error', type: 'authentication_error' });
      expect(openapi.check('filesList', 401, anonymous.body)).toEqual([]);
      const wrong = await refusal(sdkFor(stack, 'folio_wrong_key_123456').ocr.process({ model: null, document: { type: 'file', fileId: pngId } }));
      expect(wrong.status).toBe(401);
      const form = new FormData();
      form.append('purpose', 'ocr');
      form.append('file', new Blob([Buffer.from(png)], { type: 'image/png' }), 'a.png');
      const { result, before, after } = await leavesNothing(stack, () => raw(stack, 'POST', '/v1/files', { auth: null, body: form }));
      expect(result.status).toBe(401);
      expect(after).toEqual(before);
    });
  });

  describe('POST /v1/ocr and /v1/files/{id}/ocr', () => {
    const content = (document_content: string) => ({ document: { type: 'content', document_content } });

    it('refuses bad base64, an unsupported type and a lying data: URI, keeping nothing', async () => {
      const cases: Array<[string, string]> = [
        ['data:image/png;base64,iVBORw0KGgo***notbase64', 'invalid_base64'],
        ['data:image/png;base64,', 'empty'],
        [`data:text/plain;base64,${Buffer.from('hello').toString('base64')}`, 'unsupported_media_type'],
        [dataUrl(makeTextPdf([['x']]), 'image/png'), 'content_mismatch'],
        ['data:image/png,plain-not-base64', 'not_base64'],
      ];
      for (const [uri, code] of cases) {
        const { result, before, after } = await leavesNothing(stack, () => raw(stack, 'POST', '/v1/ocr', { json: content(uri) }));
        expect(after).toEqual(before);
        expect(result.status, code).toBe(400);
        expect(result.body).toMatchObject({ object: 'error', type: 'invalid_request_error', code, param: 'document.document_content' });
        expect(openapi.check('ocrProcess', 400, result.body)).toEqual([]);
      }
      const viaSdk = await refusedCleanly(() =>
        sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: 'data:application/pdf;base64,JVBERi0x!!' } }),
      );
      expect(viaSdk).toMatchObject({ status: 400, body: { code: 'invalid_base64', param: 'document.document_url' } });
    });

    it('refuses a corrupt PDF sent inline, and one longer than a sync request takes', async () => {
      const corrupt = await refusedCleanly(() =>
        sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: `data:application/pdf;base64,${Buffer.from('%PDF-1.4\ngarbage').toString('base64')}` } }),
      );
      expect(corrupt).toMatchObject({ status: 400, body: { code: 'corrupt' } });
      const long = makeTextPdf([['one'], ['two'], ['three'], ['four']]);
      const tooLong = await refusedCleanly(() => sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: dataUrl(long, 'application/pdf') } }));
      expect(tooLong).toMatchObject({ status: 400, body: { code: 'sync_page_limit' } });
      expect(tooLong.body.message).toMatch(/4 pages.*at most 3.*POST \/v1\/files/);
    });

    it('refuses private, loopback and metadata URLs before anything is queued', async () => {
      for (const url of ['http://127.0.0.1:9/doc.pdf', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/x.png', 'http://localhost/x.png']) {
        const r = await refusedCleanly(() => sdk.ocr.process({ model: null, document: { type: 'document_url', documentUrl: url } }));
        expect(r.status, url).toBe(400);
        expect(r.body).toMatchObject({ object: 'error', code: expect.stringMatching(/^url_/) });
      }
      const scheme = await raw(stack, 'POST', '/v1/ocr', { json: { document: { type: 'document_url', document_url: 'ftp://example.com/a.pdf' } } });
      expect(scheme.status).toBe(422);
    });

    it('answers bad page selections with 422 FastAPI detail (the SDK parses it as HTTPValidationError)', async () => {
      let caught: unknown;
      try {
        await sdk.ocr.process({ model: null, document: { type: 'file', fileId: pngId }, pages: 'a-b' });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(HTTPValidationError);
      expect((caught as HTTPValidationError).detail?.[0]).toMatchObject({ loc: ['body', 'pages'], msg: expect.stringContaining('not valid') });

      const bodies: unknown[] = ['3-1', -1, [], Array.from({ length: 1001 }, (_, i) => i), [0, 1.5], { from: 0 }];
      for (const pages of bodies) {
        const r = await raw(stack, 'POST', `/v1/files/${pngId}/ocr`, { json: { pages } });
        expect(r.status, JSON.stringify(pages).slice(0, 40)).toBe(422);
        expect((r.body.detail as Array<{ loc: unknown[] }>)[0]?.loc.slice(0, 2)).toEqual(['body', 'pages']);
        expect(openapi.check('filesOcr', 422, r.body)).toEqual([]);
      }
      // The upload is one page: asking for page 3 is refused at once, without waiting for its OCR.
      const beyond = await raw(stack, 'POST', `/v1/files/${pngId}/ocr`, { json: { pages: [0, 3] } });
      expect(beyond.status).toBe(422);
      expect(beyond.body).toEqual({
        detail: [{ loc: ['body', 'pages'], msg: 'Page 3 out of range: the document has 1 page (only page 0, zero-based).', type: 'value_error' }],
      });
    });

    it('refuses a selection past the end of an inline document and hides what it stored', async () => {
      const r = await raw(stack, 'POST', '/v1/ocr', { json: { ...content(dataUrl(png, 'image/png')), pages: '1-2' } });
      expect(r.status).toBe(422);
      expect((r.body.detail as Array<{ msg: string }>)[0]?.msg).toContain('out of range');
      const rows = await stack.db.prisma.file.findMany({ where: { purpose: 'ocr_request', deletedAt: null } });
      expect(rows).toEqual([]);
    });

    it('answers 503 with Retry-After and the id to retry with when the OCR is not done in time', async () => {
      const byId = await raw(stack, 'POST', `/v1/files/${pngId}/ocr`, { json: {} });
      expect(byId.status).toBe(503);
      expect(byId.headers.get('retry-after')).toBe('10');
      expect(byId.body).toMatchObject({ object: 'error', type: 'service_unavailable_error', code: 'not_ready' });
      expect(byId.body.message).toContain(`POST /v1/files/${pngId}/ocr`);
      expect(openapi.check('filesOcr', 503, byId.body)).toEqual([]);
      const inline = await raw(stack, 'POST', '/v1/ocr', { json: content(dataUrl(png, 'image/png')) });
      expect(inline.status).toBe(503);
      const id = /files\/([0-9a-f-]{36})\/ocr/.exec(String(inline.body.message))?.[1];
      expect((await stack.db.files.findById(id ?? UNKNOWN))?.purpose).toBe('ocr_request');
    });

    it('refuses malformed bodies: bad JSON, no document, unknown document type', async () => {
      const res = await fetch(`${stack.api.url}/v1/ocr`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
        body: '{"document": ',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ object: 'error', code: 'invalid_json' });
      const missing = await raw(stack, 'POST', '/v1/ocr', { json: { model: 'x' } });
      expect(missing.status).toBe(422);
      expect((missing.body.detail as Array<{ loc: unknown[] }>)[0]?.loc).toEqual(['body', 'document']);
      const unknownType = await raw(stack, 'POST', '/v1/ocr', { json: { document: { type: 'video', url: 'x' } } });
      expect(unknownType.status).toBe(422);
    });
  });

  describe('query validation', () => {
    it('refuses out-of-range page_size and expiry, and filters it cannot apply', async () => {
      for (const path of ['/v1/files?page_size=0', '/v1/files?page=-1', '/v1/files?page_size=abc', `/v1/files/${pngId}/url?expiry=0`, `/v1/files/${pngId}/url?expiry=169`, '/v1/files?search=x']) {
        const r = await raw(stack, 'GET', path);
        expect(r.status, path).toBe(422);
        expect(Array.isArray(r.body.detail), path).toBe(true);
      }
      const none = await sdk.files.list({ purpose: 'batch' });
      expect(none).toMatchObject({ data: [], total: 0 });
    });

    it('answers unknown routes under /v1/files in the Mistral shape and leaves other /v1 routes alone', async () => {
      const r = await raw(stack, 'GET', `/v1/files/${pngId}/nothing`);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ object: 'error', type: 'not_found_error' });
      // NIM's health route needs no key: this dialect's auth must not reach it.
      expect((await fetch(`${stack.api.url}/v1/health/live`)).status).toBe(200);
    });
  });

  describe('one error shape per status on every Files route', () => {
    /** The seed's rule: 422 is FastAPI's `{ detail: [...] }`, every other status Mistral's `{ object: 'error', ... }`. */
    const shapeOf = (status: number, body: Record<string, unknown>): string => {
      if (status === 422) return Array.isArray(body.detail) && !('object' in body) ? 'detail' : `wrong: ${JSON.stringify(body)}`;
      return body.object === 'error' && typeof body.message === 'string' && typeof body.type === 'string' && !('detail' in body)
        ? 'error'
        : `wrong: ${JSON.stringify(body)}`;
    };

    it('answers 400, 401, 404 and 422 of each route in the shape its status calls for', async () => {
      const routes: Array<[string, string]> = [
        ['POST', '/v1/files'],
        ['GET', '/v1/files'],
        ['GET', `/v1/files/${UNKNOWN}`],
        ['DELETE', `/v1/files/${UNKNOWN}`],
        ['GET', `/v1/files/${UNKNOWN}/content`],
        ['GET', `/v1/files/${UNKNOWN}/url`],
        ['POST', `/v1/files/${UNKNOWN}/ocr`],
        ['POST', '/v1/ocr'],
        ['GET', `/v1/files/${UNKNOWN}/events`],
      ];
      const answers: Array<[string, number, string]> = [];
      for (const [method, path] of routes) {
        const unauth = await raw(stack, method, path, { auth: null, ...(method === 'POST' ? { json: {} } : {}) });
        answers.push([`${method} ${path} (no key)`, unauth.status, shapeOf(unauth.status, unauth.body)]);
      }
      for (const [method, path] of routes.filter(([, p]) => p.includes(UNKNOWN))) {
        const missing = await raw(stack, method, path, method === 'POST' ? { json: {} } : {});
        answers.push([`${method} ${path}`, missing.status, shapeOf(missing.status, missing.body)]);
      }
      const bad: Array<[string, string, Parameters<typeof raw>[3]]> = [
        ['GET', '/v1/files?page_size=0', {}],
        ['GET', `/v1/files/${pngId}/url?expiry=0`, {}],
        ['POST', `/v1/files/${pngId}/ocr`, { json: { pages: 'x' } }],
        ['POST', `/v1/files/${pngId}/ocr`, { body: '{', headers: { 'content-type': 'application/json' } }],
        ['POST', '/v1/ocr', { json: { model: 'x' } }],
        ['POST', '/v1/ocr', { body: '{', headers: { 'content-type': 'application/json' } }],
        ['POST', '/v1/files', { json: { purpose: 'ocr' } }],
      ];
      for (const [method, path, init] of bad) {
        const r = await raw(stack, method, path, init);
        answers.push([`${method} ${path} ${JSON.stringify(init?.json ?? init?.body ?? '')}`, r.status, shapeOf(r.status, r.body)]);
      }
      for (const [name, status, shape] of answers) {
        expect(shape, `${name} → ${status}`).toBe(status === 422 ? 'detail' : 'error');
      }
      expect(new Set(answers.map(([, status]) => status))).toEqual(new Set([400, 401, 404, 422]));
    });
  });
});
