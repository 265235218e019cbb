import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

/**
 * A training run Postgres holds as queued but no queue holds (Redis lost its job) is re-enqueued by
 * the reconciler; a run whose data teaches nothing ends FAILED with its reason, and the model keeps
 * serving what it served (here: full text, no version).
 */
describe('training runs and the reconciler (real API and worker)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ RECONCILE_INTERVAL_MS: '1000', RECONCILE_GRACE_MS: '500' });
    await stack.startWorker();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('re-enqueues a run without a job and fails it with its reason', async () => {
    const model = await stack.db.models.create({ orgId: stack.dev.orgId, kind: 'EXTRACTION', name: 'labels', labels: ['weight'] });
    // The run's row exists; its job was never enqueued (as after a Redis flush).
    const run = await stack.db.training.createRun(model.id, stack.dev.orgId, 'queued');
    const ended = await eventually(
      async () => {
        const row = await stack.db.training.findRun(run.id);
        return row?.status === 'FAILED' ? row : undefined;
      },
      60_000,
      'the run to fail',
    );
    expect(ended.failure).toEqual({ code: 'no_usable_annotations', images: 0 });
    expect(ended.message).toMatch(/matched a word the OCR read/);
    expect((await stack.db.models.findForOrg(model.id, stack.dev.orgId))?.servingVersionId).toBeNull();
  }, 120_000);
});
