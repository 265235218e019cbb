import sharp from 'sharp';
import { contentBombPdf, deeplyNestedPdf, forgedPng, jpxBombPdf, makeTextPdf, makeTextPng, manyPagesPdf } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * A corpus of bad files sent through two dialects (Nanonets LabelFile/Async, Files API upload).
 * What can be judged from the bytes or when the document is opened is refused with a clear 4xx
 * and its reason, leaving no row and no object; what shows only while a page renders ends as a
 * FAILED page with its reason. (A page built to render forever is in pipeline/poison-page.test.ts.)
 * MAX_PAGES is 500 here so that the 1000-page TIFF is over it (the default, 2000, would take it).
 */

interface BadFile {
  what: string;
  filename: string;
  type: string;
  bytes: () => Promise<Uint8Array> | Uint8Array;
  status: number;
  reason: string;
}

const text = makeTextPdf([['Some text on page one'], ['More text on page two']]);

const corpus: BadFile[] = [
  { what: 'zero-byte file', filename: 'empty.pdf', type: 'application/pdf', bytes: () => new Uint8Array(0), status: 400, reason: 'empty' },
  { what: 'truncated PDF', filename: 'cut.pdf', type: 'application/pdf', bytes: () => text.slice(0, Math.floor(text.length / 2)), status: 422, reason: 'corrupt' },
  {
    what: 'corrupt PDF (header over random bytes)',
    filename: 'noise.pdf',
    type: 'application/pdf',
    bytes: () => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))])),
    status: 422,
    reason: 'corrupt',
  },
  {
    what: 'encrypted PDF (user password)',
    filename: 'locked.pdf',
    type: 'application/pdf',
    bytes: () => makeTextPdf([['Secret']], { encrypt: { userPassword: 'secret', ownerPassword: 'owner' } }),
    status: 422,
    reason: 'encrypted',
  },
  { what: 'PDF bomb: 100000-deep nesting in the catalog', filename: 'nest.pdf', type: 'application/pdf', bytes: () => deeplyNestedPdf(100_000, 'catalog'), status: 422, reason: 'corrupt' },
  { what: 'PDF bomb: 5000 pages in 250 KB', filename: 'pages.pdf', type: 'application/pdf', bytes: () => manyPagesPdf(5_000), status: 413, reason: 'too_many_pages' },
  { what: 'PNG declaring 100000×100000 pixels', filename: 'huge.png', type: 'image/png', bytes: () => forgedPng(100_000, 100_000), status: 413, reason: 'too_many_pixels' },
  {
    what: 'JPEG renamed .pdf',
    filename: 'photo.pdf',
    type: 'application/pdf',
    bytes: async () => new Uint8Array(await sharp(Buffer.from(await makeTextPng(['a photo']))).jpeg().toBuffer()),
    status: 415,
    reason: 'type_mismatch',
  },
  {
    what: 'TIFF with 1000 pages',
    filename: 'thousand.tiff',
    type: 'image/tiff',
    bytes: async () => {
      const page = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } }).png().toBuffer();
      return new Uint8Array(await sharp(Array(1000).fill(page), { join: { animated: true } }).tiff().toBuffer());
    },
    status: 413,
    reason: 'too_many_pages',
  },
];

/** The reason a 4xx body gives, in either dialect's shape. */
function reasonOf(body: Record<string, unknown>): unknown {
  if (typeof body.reason === 'string') return body.reason;
  if (typeof body.code === 'string') return body.code;
  const detail = body.detail as Array<{ type?: string }> | undefined;
  return detail?.[0]?.type;
}

describe('bad files', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ MAX_PAGES: '500', RENDER_DPI: '150', JOB_ATTEMPTS: '2' });
    await stack.startWorker({ OCR_ENGINE: 'noop' });
  }, 120_000);
  afterAll(() => stack?.close());

  for (const bad of corpus) {
    it(`refuses a ${bad.what} with ${bad.status} ${bad.reason}, leaving nothing`, async () => {
      const bytes = await bad.bytes();
      const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
      const nanonets = await leavesNothing(stack, () => client.labelFile([{ name: bad.filename, bytes, type: bad.type }], { async: true }));
      expect(nanonets.after).toEqual(nanonets.before);
      expect(nanonets.result.status).toBe(bad.status);
      expect(reasonOf(nanonets.result.body)).toBe(bad.reason);
      expect(String(nanonets.result.body.message).length).toBeGreaterThan(10);

      const files = await leavesNothing(stack, async () => {
        const form = new FormData();
        form.append('purpose', 'ocr');
        form.append('file', new Blob([Buffer.from(bytes)], { type: bad.type }), bad.filename);
        const res = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      });
      expect(files.after).toEqual(files.before);
      // The Files API speaks its own statuses (400 for unreadable input, per the seed); a 4xx with the same reason.
      expect(files.result.status).toBeGreaterThanOrEqual(400);
      expect(files.result.status).toBeLessThan(500);
      expect(reasonOf(files.result.body)).toBe(bad.reason);
    }, 60_000);
  }

  it('fails only the page whose damage shows while rendering (100000-deep resources), with its reason', async () => {
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const accepted = await client.labelFile([{ name: 'deep.pdf', bytes: deeplyNestedPdf(100_000, 'resources'), type: 'application/pdf' }], { async: true });
    expect(accepted.status).toBe(200);
    const id = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;
    const body = await eventually(
      async () => {
        const { body } = await client.inferenceFile(id);
        return ['complete', 'partial', 'failed'].includes(body.status) ? body : undefined;
      },
      60_000,
      'the file to finish',
    );
    expect(body).toMatchObject({ status: 'failed', pages_failed: 1, pages_done: 0 });
    const [page] = await stack.db.pages.listByFile(id);
    expect(page).toMatchObject({ status: 'FAILED' });
    // A DocumentError is permanent: one attempt, no retries.
    expect(page!.error).toMatch(/^render failed: corrupt: The PDF document is damaged/);
    expect(page!.attempts).toBe(1);
  }, 90_000);

  it('fails a bomb page at once as too_complex, with the budget it went over, before it is painted', async () => {
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    for (const [name, bytes, budget, words] of [
      ['content-bomb.pdf', contentBombPdf(300 * 1024 * 1024), 'content_bytes', /content streams decode to more than 64\.0 MiB/],
      ['jpx-bomb.pdf', jpxBombPdf(), 'image_pixels', /images hold 3600\.0 megapixels/],
    ] as const) {
      const started = Date.now();
      const accepted = await client.labelFile([{ name, bytes, type: 'application/pdf' }], { async: true });
      expect(accepted.status).toBe(200);
      const id = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;
      const body = await eventually(
        async () => {
          const { body } = await client.inferenceFile(id);
          return ['complete', 'partial', 'failed'].includes(body.status) ? body : undefined;
        },
        90_000,
        `${name} to finish`,
      );
      const ms = Date.now() - started;
      expect(body, name).toMatchObject({ status: 'failed', pages_failed: 1, pages_done: 0 });
      const [page] = await stack.db.pages.listByFile(id);
      // Permanent: one attempt, no retries, and the reason says which budget and by how much.
      expect(page, name).toMatchObject({ status: 'FAILED', attempts: 1, failure: { code: 'too_complex', page: 0, budget: { name: budget } } });
      expect(page!.error, name).toMatch(/^render failed: page 1 is too complex to render: /);
      expect(page!.error, name).toMatch(words);
      console.info(`${name} (${bytes.length} bytes): file FAILED ${ms} ms after upload; page: ${page!.error}`);
    }
  }, 240_000);
});
