import type { JobProcessor } from '@folio/queue';
import type { WorkerDeps } from '../worker.deps.ts';

/** Sets the file's final status from its pages and announces it once. */
export function finalizeProcessor(deps: WorkerDeps): JobProcessor<'finalize'> {
  return async ({ fileId }) => {
    const outcome = await deps.db.files.finalize(fileId);
    if (!outcome) return { skipped: 'file gone' };
    if (outcome.finalized) await deps.events.publish({ type: 'file', fileId, status: outcome.status });
    return outcome;
  };
}
