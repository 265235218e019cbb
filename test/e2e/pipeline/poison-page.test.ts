import { renderForeverPage, writePdf, type PdfPage } from '@folio/documents/testing';
import { NOOP_WORD } from '@folio/ocr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient, type InferenceFileBody } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * A poison page: page 3 of a 4-page PDF is a real input that never finishes rendering (a million
 * unbalanced `q` operators; a few KB compressed). Before render threads, it blocked the worker's
 * event loop for good: job locks lapsed and every worker that picked the page up wedged in turn.
 * Now the page's render thread is terminated at RENDER_TIMEOUT_MS, the attempt fails, the page is
 * retried JOB_ATTEMPTS times and then marked FAILED with the reason; the other pages finish, the
 * file ends PARTIAL, and the worker keeps serving other files.
 */
const TIMEOUT_MS = 3_000;
const ATTEMPTS = 2;

const textPage = (text: string): PdfPage => ({ texts: [{ text, x: 72, y: 100, size: 16 }] });

describe('a poison page', () => {
  let stack: Stack;
  beforeAll(async () => {
    // TEXT_LAYER=off: the good pages go through the noop engine, whose answer the test expects.
    stack = await startStack({ TEXT_LAYER: 'off', RENDER_TIMEOUT_MS: String(TIMEOUT_MS), JOB_ATTEMPTS: String(ATTEMPTS), RENDER_DPI: '150' });
    await stack.startWorker({ OCR_ENGINE: 'noop' });
  }, 120_000);
  afterAll(() => stack?.close());

  it('is retried a bounded number of times, then FAILED with its reason; the file ends PARTIAL', async () => {
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = writePdf([textPage('one'), textPage('two'), renderForeverPage(), textPage('four')], { compress: true });
    expect(pdf.length).toBeLessThan(10_000);
    const accepted = await client.labelFile([{ name: 'poison.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    expect(accepted.status).toBe(200);
    const id = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;

    const started = Date.now();
    const body = await eventually<InferenceFileBody>(
      async () => {
        const { body } = await client.inferenceFile(id);
        return ['complete', 'partial', 'failed'].includes(body.status) ? body : undefined;
      },
      120_000,
      'the file to finish',
    );
    expect(body.status).toBe('partial');
    expect(body.pages_failed).toBe(1);
    expect(body.pages_done).toBe(3);

    const pages = await stack.db.pages.listByFileWithPredictions(id);
    expect(pages.map((p) => p.status)).toEqual(['DONE', 'DONE', 'FAILED', 'DONE']);
    const poison = pages[2]!;
    expect(poison.error).toMatch(new RegExp(`render failed: rendering page 3 took longer than ${TIMEOUT_MS} ms`));
    // Bounded: one attempt per BullMQ try, counted in Postgres.
    expect(poison.attempts).toBe(ATTEMPTS);
    expect(poison.predictions).toEqual([]);
    for (const p of [pages[0]!, pages[1]!, pages[3]!]) expect(p.predictions.map((x) => x.ocrText)).toEqual([NOOP_WORD]);
    const file = await stack.db.files.findById(id);
    expect(file).toMatchObject({ status: 'PARTIAL', errorCode: 'pages_failed', errorMessage: '1 of 4 pages failed' });
    // Each attempt was cut off at the deadline, not left to run.
    expect(Date.now() - started).toBeLessThan(ATTEMPTS * TIMEOUT_MS + 60_000);

    // The worker is not wedged: the next file goes through at once.
    const next = await client.labelFile([{ name: 'after.pdf', bytes: writePdf([textPage('after')]), type: 'application/pdf' }], { async: true });
    const nextId = (next.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;
    const after = await eventually(
      async () => {
        const { body } = await client.inferenceFile(nextId);
        return body.status === 'complete' ? body : undefined;
      },
      60_000,
      'a healthy file after the poison',
    );
    expect(after.pages_done).toBe(1);
  }, 180_000);
});
