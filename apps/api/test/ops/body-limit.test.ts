import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';

/**
 * A body declared larger than any route accepts is refused from its Content-Length alone: the
 * answer (413, in the dialect's shape) comes while the client has sent 1 KiB of a claimed 10 GiB,
 * and the connection is closed instead of drained.
 */
describe('body size limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ MAX_UPLOAD_BYTES: String(1024 * 1024) });
  }, 60_000);
  afterAll(async () => stack?.close());

  function announce(path: string, bytes: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number; connection: string | undefined }> {
    const url = new URL(path, stack.api.url);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-length': String(bytes), 'content-type': 'application/json', ...headers } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started, connection: res.headers.connection }));
      });
      req.on('error', reject);
      // A sliver of the body, then nothing: a server that waits for the rest never answers.
      req.write(Buffer.alloc(1024, 0x20));
    });
  }

  it('answers 413 before reading on upload, OCR, webhook and review routes, without asking for the key first', async () => {
    const bearer = { authorization: `Bearer ${stack.dev.apiKey}` };
    for (const [path, headers] of [
      ['/v1/ocr', bearer],
      ['/v1/files', bearer],
      [`/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/`, {}],
      ['/v1/infer', bearer],
      ['/v1/webhooks', bearer],
    ] as const) {
      const res = await announce(path, 10 * 1024 ** 3, headers);
      expect(res.status, path).toBe(413);
      expect(res.ms, path).toBeLessThan(2_000);
      expect(res.connection).toBe('close');
      expect(res.body).toMatch(/at most/);
    }
    // Just over the webhook routes' own 16 KiB ceiling, far under the upload one.
    const small = await announce('/v1/webhooks', 17 * 1024, bearer);
    expect(small.status).toBe(413);
    // The review API's 64 KiB JSON bodies: refused before the key lookup, from the header alone.
    const review = await announce('/v1/review/pages/p/predictions', 65 * 1024);
    expect(review.status).toBe(413);
    expect(review.connection).toBe('close');
    expect(review.body).toMatch(/at most 65536/);
  });
});
