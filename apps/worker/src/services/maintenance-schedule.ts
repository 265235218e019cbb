import type { WorkerDeps } from '../worker.deps.ts';

/** Keeps the maintenance tasks scheduled while a maintenance worker runs in this process. */
export interface MaintenanceSchedule {
  /** Schedules reconcile and reap, then re-asserts them every `RECONCILE_INTERVAL_MS`. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * Schedules live in Redis; re-asserting them on a local timer brings them back after Redis lost
 * its data, so the reconciler that rebuilds the queues from Postgres keeps running.
 */
export function maintenanceSchedule(deps: Pick<WorkerDeps, 'queues' | 'config' | 'logger'>): MaintenanceSchedule {
  const { config, logger } = deps;
  const schedule = async () => {
    await deps.queues.schedule('reconcile', config.RECONCILE_INTERVAL_MS);
    await deps.queues.schedule('reap', config.REAP_INTERVAL_MS);
  };
  let keeper: NodeJS.Timeout | undefined;
  return {
    async start() {
      await schedule();
      keeper = setInterval(() => schedule().catch((err: unknown) => logger.warn({ err }, 'could not renew schedules')), config.RECONCILE_INTERVAL_MS);
      keeper.unref();
    },
    stop: () => clearInterval(keeper),
  };
}
