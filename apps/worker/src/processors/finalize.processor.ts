import { isFinalFileStatus } from '@folio/contracts';
import type { JobProcessor } from '@folio/queue';
import { dispatchWebhooks } from '../services/webhook-dispatch.ts';
import { skipUnlessForeign } from '../services/foreign-job.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** Sets the file's final status from its pages, announces it, and queues its webhook deliveries. */
export function finalizeProcessor(deps: WorkerDeps): JobProcessor<'finalize'> {
  return async ({ fileId, orgId, requestId }, { job }) => {
    const outcome = await deps.db.files.finalize(fileId);
    if (!outcome) return skipUnlessForeign(deps, job, orgId, 'file gone');
    if (!outcome.finalized) return outcome;
    await deps.events.publish({ type: 'file', fileId, status: outcome.status });
    const file = await deps.db.files.findById(fileId);
    // A file deleted by its owner meanwhile is nobody's news any more.
    if (file && !file.deletedAt && isFinalFileStatus(outcome.status)) {
      const status = outcome.status;
      return { ...outcome, webhooks: await dispatchWebhooks(deps, file, { ...outcome, status }, requestId) };
    }
    return outcome;
  };
}
