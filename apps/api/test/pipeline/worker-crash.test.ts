import { predictionsFromPage } from '@folio/contracts';
import { makeTextPdf } from '@folio/documents/testing';
import { ocrPageSchema } from '@folio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../support/nanonets.client.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';

// Short locks so the job the killed worker held is handed on within seconds, not a minute.
const FAST_STALL = { JOB_LOCK_MS: '4000', STALLED_CHECK_MS: '2000', RECONCILE_INTERVAL_MS: '3000', RECONCILE_GRACE_MS: '3000' };

describe('a worker killed mid-file', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(FAST_STALL);
  });
  afterAll(() => stack?.close());

  it('is replaced by a new worker that finishes every page exactly once', async () => {
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf([1, 2, 3, 4, 5, 6].map((n) => [`Crash test page ${n}`, 'Pack my box with five dozen liquor jugs']), { fontSize: 16 });
    const first = stack.spawnWorker();
    const accepted = await client.labelFile([{ name: 'six.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    expect(accepted.status).toBe(200);
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;

    await eventually(
      async () => {
        const pages = await stack.db.pages.listByFile(fileId);
        return pages.some((p) => p.status === 'DONE') ? true : undefined;
      },
      120_000,
      'a first page to be done',
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const doneAtKill = (await stack.db.pages.listByFile(fileId)).filter((p) => p.status === 'DONE').length;
    expect(doneAtKill).toBeLessThan(6);

    stack.spawnWorker();
    const file = await eventually(
      async () => {
        const f = await stack.db.files.findById(fileId);
        return f && ['COMPLETE', 'PARTIAL', 'FAILED'].includes(f.status) ? f : undefined;
      },
      180_000,
      'the file to complete after the restart',
    );
    expect(file.status).toBe('COMPLETE');

    const pages = await stack.db.pages.listByFileWithPredictions(fileId);
    expect(pages.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const page of pages) {
      expect(page.status).toBe('DONE');
      const result = ocrPageSchema.parse(page.result);
      // Exactly one set of predictions: what the stored result yields, never twice.
      expect(page.predictions).toHaveLength(predictionsFromPage(result, page.index).length);
      expect(page.predictions.map((p) => p.ocrText).join(' ')).toContain(`Crash test page ${page.index + 1}`);
    }
  });
});
