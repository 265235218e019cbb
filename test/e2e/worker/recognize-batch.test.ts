/**
 * A recognize worker batching pages of concurrent jobs (RECOGNIZE_BATCH_PAGES): pages that share
 * a batch read their own text, and a page that fails fails only its own job. Real Postgres, Redis,
 * S3 server and models.
 */
import { makeTextPdf } from '@folio/documents/testing';
import { ocrPageSchema } from '@folio/contracts';
import { connectServices, type Services } from '@folio/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, fileWhenFinal, startStack, type Stack } from '../../support/stack.ts';

describe('recognize worker with batching', () => {
  let stack: Stack;
  let services: Services;
  beforeAll(async () => {
    // TEXT_LAYER=off: these born-digital pages must go through OCR, the path batching serves.
    stack = await startStack({ TEXT_LAYER: 'off', RENDER_DPI: '150', OCR_ENGINE_WORKERS: '1', RECOGNIZE_BATCH_PAGES: '3', RECOGNIZE_BATCH_WAIT_MS: '3000', JOB_ATTEMPTS: '1' });
    services = connectServices(stack.config, 'test');
  });
  afterAll(async () => {
    await services?.close();
    await stack?.close();
  });

  it('recognizes the pages of concurrent jobs together; a broken page fails alone', async () => {
    await stack.startWorker({ WORKER_QUEUES: 'ingest,render,finalize' });
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf([1, 2, 3].map((n) => [`Batched page number ${n}`, 'Sphinx of black quartz judge my vow']), { fontSize: 18 });
    const accepted = await client.labelFile([{ name: 'three.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;
    const rendered = await eventually(
      async () => {
        const pages = await stack.db.pages.listByFile(fileId);
        return pages.length === 3 && pages.every((p) => p.status === 'RENDERED') ? pages : undefined;
      },
      60_000,
      'every page to be rendered',
    );
    // The second page's image is no longer a PNG: its recognize job cannot succeed.
    await services.storage.putBuffer(rendered[1]!.imageKey!, new TextEncoder().encode('not a png'), 'image/png');

    await stack.startWorker({ WORKER_QUEUES: 'recognize' });
    const file = await fileWhenFinal(stack, fileId, 180_000, 'the file to finish');
    expect(file.status).toBe('PARTIAL');
    const pages = await stack.db.pages.listByFileWithPredictions(fileId);
    expect(pages.map((p) => p.status)).toEqual(['DONE', 'FAILED', 'DONE']);
    expect(pages[1]!.error).toMatch(/recognize failed/);
    for (const i of [0, 2]) {
      const result = ocrPageSchema.parse(pages[i]!.result);
      expect(pages[i]!.predictions.map((p) => p.ocrText).join(' ')).toContain(`Batched page number ${i + 1}`);
      // Both good pages went to the engine in one batch.
      expect(result.timings?.['batchPages']).toBe(2);
    }
  });
});
