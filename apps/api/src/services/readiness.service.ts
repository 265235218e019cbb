import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';

/**
 * True when at least one recognize worker is connected. Workers load the OCR models before they
 * connect to the `recognize` queue, so one connected means a page sent now can be read.
 */
export async function recognizerReady(deps: ApiDeps): Promise<boolean> {
  return (await deps.queues.queue('recognize').getWorkersCount()) > 0;
}

/**
 * Answers 503 (Retry-After 5 s) while no recognize worker is connected, instead of letting a sync
 * request wait its whole SYNC_TIMEOUT_MS for a result nobody can produce.
 * @param message the dialect's own sentence for "not ready".
 */
export async function assertRecognizerReady(deps: ApiDeps, message: string): Promise<void> {
  if (!(await recognizerReady(deps))) throw errors.unavailable(message, 5);
}

/** Postgres, Redis and S3 answer now: without one the API can take or answer no request. */
export function serviceChecks(deps: ApiDeps): Record<string, () => Promise<boolean>> {
  return {
    database: async () => (await deps.db.prisma.$queryRaw`SELECT 1`, true),
    redis: async () => (await deps.redis.ping()) === 'PONG',
    storage: () => deps.storage.ping(),
  };
}
