/**
 * Render keeps a bounded buffer of rendered pages ahead of recognize: with no recognize worker it
 * stops at RENDER_AHEAD_PAGES, and resumes as soon as a recognize worker drains the backlog.
 * Real Postgres, Redis, S3 server and models.
 */
import { makeTextPdf } from '@folio/documents/testing';
import { connectServices, type Services } from '@folio/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, fileWhenFinal, startStack, type Stack } from '../../support/stack.ts';

const PAGES = 6;
const LIMIT = 2;

describe('render ahead of recognize', () => {
  let stack: Stack;
  let services: Services;
  beforeAll(async () => {
    // TEXT_LAYER=off: these born-digital pages must be rendered for OCR, the work render-ahead bounds.
    stack = await startStack({ TEXT_LAYER: 'off', RENDER_AHEAD_PAGES: String(LIMIT), RENDER_CONCURRENCY: '1', RENDER_DPI: '150', OCR_ENGINE_WORKERS: '1' });
    services = connectServices(stack.config, 'test');
  });
  afterAll(async () => {
    await services?.close();
    await stack?.close();
  });

  it('stops rendering at the bound with no recognize worker, and resumes when recognize drains', async () => {
    await stack.startWorker({ WORKER_QUEUES: 'ingest,render,finalize' });
    const backlog = async () => {
      const c = await services.queues.queue('recognize').getJobCounts('waiting', 'prioritized');
      return (c['waiting'] ?? 0) + (c['prioritized'] ?? 0);
    };
    let highest = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        highest = Math.max(highest, await backlog());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf(Array.from({ length: PAGES }, (_, i) => [`Buffered page ${i + 1}`, 'Render waits for recognize']), { fontSize: 18 });
    const accepted = await client.labelFile([{ name: 'six.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;
    const statuses = async () => (await stack.db.pages.listByFile(fileId)).map((p) => p.status);

    await eventually(async () => ((await statuses()).filter((s) => s === 'RENDERED').length >= LIMIT ? true : undefined), 60_000, 'render to reach the bound');
    // Several polling periods later render still holds at the bound.
    await new Promise((r) => setTimeout(r, 2_000));
    const held = await statuses();
    expect(held.filter((s) => s === 'RENDERED')).toHaveLength(LIMIT);
    expect(held.filter((s) => s === 'QUEUED')).toHaveLength(PAGES - LIMIT);
    expect(await backlog()).toBe(LIMIT);

    await stack.startWorker({ WORKER_QUEUES: 'recognize' });
    const file = await fileWhenFinal(stack, fileId, 180_000, 'the file to complete once recognize drains the buffer');
    sampling = false;
    await sampler;
    expect(file.status).toBe('COMPLETE');
    expect(await statuses()).toEqual(Array.from({ length: PAGES }, () => 'DONE'));
    // One render process with concurrency 1 pauses before it fetches again: never past the bound.
    expect(highest).toBe(LIMIT);
  });
});
