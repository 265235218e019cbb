import { UnrecoverableError, type JobProcessor } from '@folio/queue';
import { runTraining, TrainingInputError } from '../services/training-run.service.ts';
import { isLastAttempt, reasonOf } from '../services/page-failure.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Runs a training run (see runTraining). Bad data fails the run at once with its reason; any
 * other error is retried, and the last attempt's error fails the run. Either way the model keeps
 * the version it was serving.
 */
export function trainProcessor(deps: WorkerDeps): JobProcessor<'train'> {
  return async (data, ctx) => {
    try {
      const done = await runTraining(deps, data.runId);
      return done ?? { skipped: 'run finished or gone' };
    } catch (err) {
      if (err instanceof TrainingInputError) {
        await deps.db.training.failRun(data.runId, err.failure);
        throw new UnrecoverableError(err.message);
      }
      if (isLastAttempt(ctx.job, err)) await deps.db.training.failRun(data.runId, { code: 'training_crashed', detail: reasonOf(err), attempts: ctx.job.attemptsMade + 1 });
      throw err;
    }
  };
}
