import { Router, type Request, type Response } from 'express';
import { nimHealthLive, nimHealthReady, operationTables } from '@folio/contracts';
import { mountOperations } from '../../http/operation.router.ts';

/** What readiness depends on: each check answers true when that dependency is usable now. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

async function runChecks(checks: ReadinessChecks): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const ok = await Promise.race([
        check().catch(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
      ]);
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Header naming the failed readiness checks; the body stays exactly the seed's `{ "ready": false }`. */
export const NOT_READY_HEADER = 'X-Folio-Not-Ready';

/** Checks answered by `/v1/health/ready` only: the API serves uploads and polls without them. */
export interface HealthChecks {
  /** Postgres, Redis, S3: without one the API cannot take or answer any request. */
  service: ReadinessChecks;
  /** A recognize worker is connected: what NIM's readiness means (sync OCR can run now). */
  engine: ReadinessChecks;
}

/**
 * NIM health routes (bodies exactly as the NIM seed: `{ "live": true }`, `{ "ready": true }`)
 * and `/health/ready`, the API pod's own readiness: it leaves the engine out, so an API whose
 * recognize workers are all scaled away still takes async uploads. Not ready answers 503.
 */
export function healthRouter({ service, engine }: HealthChecks): Router {
  const answerReadiness = (checks: ReadinessChecks) => async (_req: Request, res: Response) => {
    const results = await runChecks(checks);
    const failed = Object.entries(results).filter(([, ok]) => !ok).map(([name]) => name);
    if (failed.length > 0) res.setHeader(NOT_READY_HEADER, failed.join(','));
    res.status(failed.length === 0 ? 200 : 503).json(nimHealthReady(failed.length === 0));
  };
  const router = mountOperations(Router(), operationTables.health, {
    nimHealthLive: (_req, res) => {
      res.json(nimHealthLive());
    },
    nimHealthReady: answerReadiness({ ...service, ...engine }),
  });
  // The API pod's own probe: undocumented (an operator's, not a client's).
  router.get('/health/ready', answerReadiness(service));
  return router;
}
