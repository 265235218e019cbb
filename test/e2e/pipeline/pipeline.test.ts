import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient, pageWords, type InferenceFileBody } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

const PAGE_TEXT = (n: number) => [`Folio test page number ${n}`, `The quick brown fox jumps over the lazy dog`, `Invoice total amount ${n * 1111}`];

describe('pipeline end to end (API + worker in process, real Postgres, Redis, S3, models)', () => {
  let stack: Stack;
  let client: ReturnType<typeof nanonetsClient>;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
  });
  afterAll(() => stack?.close());

  const waitComplete = (id: string) =>
    eventually<InferenceFileBody>(
      async () => {
        const { status, body } = await client.inferenceFile(id);
        expect(status).toBe(200);
        return ['complete', 'partial', 'failed'].includes(body.status) ? body : undefined;
      },
      180_000,
      `file ${id} to complete`,
    );

  it('OCRs a 5-page PDF and a PNG uploaded async, readable by file and by page', async () => {
    const pdf = makeTextPdf([1, 2, 3, 4, 5].map(PAGE_TEXT), { fontSize: 14 });
    const png = await makeTextPng(['Receipt from the corner shop', 'Coffee 3.50']);
    const started = Date.now();
    const accepted = await client.labelFile(
      [
        { name: 'five.pdf', bytes: pdf, type: 'application/pdf' },
        { name: 'receipt.png', bytes: png, type: 'image/png' },
      ],
      { async: true, fields: { request_metadata: 'batch-42' } },
    );
    expect(accepted.status).toBe(200);
    const [pdfEntry, pngEntry] = accepted.body.result as Array<{ request_file_id: string; request_metadata: string }>;
    expect(pdfEntry?.request_metadata).toBe('batch-42');

    const inProgress = await client.inferenceFile(pdfEntry!.request_file_id);
    expect(['queued', 'processing', 'complete']).toContain(inProgress.body.status);

    const pdfResult = await waitComplete(pdfEntry!.request_file_id);
    const seconds = (Date.now() - started) / 1000;
    console.log(`5-page PDF: upload to complete in ${seconds.toFixed(1)} s`);
    expect(pdfResult.status).toBe('complete');
    expect(pdfResult.pages_total).toBe(5);
    const pages = [...pdfResult.unmoderated_images].sort((a, b) => a.page - b.page);
    expect(pages.map((p) => p.page)).toEqual([0, 1, 2, 3, 4]);
    pages.forEach((page, i) => {
      const words = pageWords(page);
      expect(words).toEqual(expect.arrayContaining(['quick', 'brown', 'fox', 'lazy']));
      expect(words.join(' ')).toContain(`page number ${i + 1}`);
      expect(page.predicted_boxes.every((b) => b.page_no === i && b.xmax > b.xmin && b.ymax > b.ymin)).toBe(true);
    });

    const byPage = await client.inferencePage(pdfEntry!.request_file_id, pages[2]!.id);
    expect(byPage.status).toBe(200);
    expect(byPage.body.unmoderated_images).toHaveLength(1);
    expect(pageWords(byPage.body.unmoderated_images[0]!).join(' ')).toContain('page number 3');

    const pngResult = await waitComplete(pngEntry!.request_file_id);
    expect(pngResult.status).toBe('complete');
    expect(pageWords(pngResult.unmoderated_images[0]!)).toEqual(expect.arrayContaining(['receipt', 'coffee']));
  });

  it('answers 404 for an unknown request id and 401 without a key', async () => {
    const missing = await client.inferenceFile('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const res = await fetch(`${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/x`);
    expect(res.status).toBe(401);
  });
});
