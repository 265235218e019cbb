import { predictionsFromPage } from '@folio/contracts';
import { makeTextPdf } from '@folio/documents/testing';
import { ocrPageSchema } from '@folio/contracts';
import { NOOP_WORD } from '@folio/ocr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, fileWhenFinal, startStack, type Stack } from '../../support/stack.ts';

// Short locks so the job the killed worker held is handed on within seconds, not a minute.
const FAST_STALL = { JOB_LOCK_MS: '4000', STALLED_CHECK_MS: '2000', RECONCILE_INTERVAL_MS: '3000', RECONCILE_GRACE_MS: '3000' };

describe('a worker killed mid-file', () => {
  let stack: Stack;
  beforeAll(async () => {
    // TEXT_LAYER=off: every page must be rendered and recognized (the noop engine's answer).
    stack = await startStack({ ...FAST_STALL, TEXT_LAYER: 'off' });
  });
  afterAll(() => stack?.close());

  it('is replaced by a new worker that finishes every page of a 40-page PDF exactly once', async () => {
    // The noop engine (one word per page) keeps 40 pages quick: the crash is the point, not OCR,
    // and it still writes a result and a prediction per page, so "exactly once" is checked.
    const PAGES = 40;
    const worker = { OCR_ENGINE: 'noop' };
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf(Array.from({ length: PAGES }, (_, i) => [`Crash test page ${i + 1}`, 'Pack my box with five dozen liquor jugs']), { fontSize: 16 });
    const first = stack.spawnWorker(worker);
    const accepted = await client.labelFile([{ name: 'forty.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    expect(accepted.status).toBe(200);
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;

    await eventually(
      async () => {
        const pages = await stack.db.pages.listByFile(fileId);
        // Well into the file: renders and recognitions are in flight when the kill lands.
        return pages.filter((p) => p.status === 'DONE').length >= 8 ? true : undefined;
      },
      120_000,
      'the first pages to be done',
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const doneAtKill = (await stack.db.pages.listByFile(fileId)).filter((p) => p.status === 'DONE').length;
    expect(doneAtKill).toBeLessThan(PAGES);

    stack.spawnWorker(worker);
    const file = await fileWhenFinal(stack, fileId, 180_000, 'the file to complete after the restart');
    console.info(`worker crash: killed with ${doneAtKill}/${PAGES} pages done; the new worker finished the rest`);
    expect(file.status).toBe('COMPLETE');

    const pages = await stack.db.pages.listByFileWithPredictions(fileId);
    expect(pages.map((p) => p.index)).toEqual(Array.from({ length: PAGES }, (_, i) => i));
    for (const page of pages) {
      expect(page.status).toBe('DONE');
      const result = ocrPageSchema.parse(page.result);
      // Exactly one set of predictions: what the stored result yields, never twice.
      expect(page.predictions).toHaveLength(predictionsFromPage(result, page.index).length);
      expect(page.predictions.map((p) => p.ocrText)).toEqual([NOOP_WORD]);
      // The box is the whole rendered page: the result belongs to this page's image.
      expect([page.predictions[0]!.xmax, page.predictions[0]!.ymax]).toEqual([page.width, page.height]);
    }
  });
});
