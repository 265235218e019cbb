import type { JobProcessor } from '@folio/queue';
import { reap } from '../services/reap.service.ts';
import { reconcile } from '../services/reconcile.service.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** Periodic sweeps, run as repeatable jobs so only one worker of the fleet runs each tick. */
export function maintenanceProcessor(deps: WorkerDeps): JobProcessor<'maintenance'> {
  return async ({ task }) => (task === 'reconcile' ? reconcile(deps) : reap(deps));
}
