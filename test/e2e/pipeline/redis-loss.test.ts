import { makeTextPdf } from '@folio/documents/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanonetsClient } from '../../../apps/api/test/support/nanonets.client.ts';
import { eventually, fileWhenFinal, startStack, type Stack } from '../../support/stack.ts';

/** Deletes every key under the stack's queue prefix: what a Redis without persistence loses on restart. */
async function wipeQueueKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

describe('Redis losing the queues mid-run', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ RECONCILE_INTERVAL_MS: '2000', RECONCILE_GRACE_MS: '2000', JOB_LOCK_MS: '5000', STALLED_CHECK_MS: '2000' });
    await stack.startWorker();
  });
  afterAll(() => stack?.close());

  it('is repaired by the reconciler from Postgres and every page completes', async () => {
    const client = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const pdf = makeTextPdf([1, 2, 3, 4].map((n) => [`Reconcile page ${n}`, 'Sphinx of black quartz judge my vow']), { fontSize: 16 });
    const accepted = await client.labelFile([{ name: 'four.pdf', bytes: pdf, type: 'application/pdf' }], { async: true });
    const fileId = (accepted.body.result as Array<{ request_file_id: string }>)[0]!.request_file_id;

    await eventually(async () => ((await stack.db.pages.listByFile(fileId)).length === 4 ? true : undefined), 60_000, 'pages to exist');
    const deleted = await wipeQueueKeys(stack.env.REDIS_URL as string, stack.env.QUEUE_PREFIX as string);
    expect(deleted).toBeGreaterThan(0);
    const pendingAfterWipe = (await stack.db.pages.listByFile(fileId)).filter((p) => p.status !== 'DONE').length;
    expect(pendingAfterWipe).toBeGreaterThan(0);

    const file = await fileWhenFinal(stack, fileId, 180_000, 'the file to complete after the wipe');
    expect(file.status).toBe('COMPLETE');
    const pages = await stack.db.pages.listByFileWithPredictions(fileId);
    for (const page of pages) {
      expect(page.status).toBe('DONE');
      expect(page.predictions.map((p) => p.ocrText).join(' ')).toContain(`Reconcile page ${page.index + 1}`);
    }
  });
});
