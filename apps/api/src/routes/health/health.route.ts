import { Router } from 'express';
import { nimHealthLive, nimHealthReady } from '@folio/contracts';

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

/**
 * NIM health routes (bodies exactly as the NIM seed: `{ "live": true }`, `{ "ready": true }`);
 * load balancers use them for every dialect. Not ready answers 503.
 */
export function healthRouter(checks: ReadinessChecks): Router {
  const router = Router();
  router.get('/v1/health/live', (_req, res) => {
    res.json(nimHealthLive());
  });
  router.get('/v1/health/ready', async (_req, res) => {
    const results = await runChecks(checks);
    const failed = Object.entries(results).filter(([, ok]) => !ok).map(([name]) => name);
    if (failed.length > 0) res.setHeader(NOT_READY_HEADER, failed.join(','));
    res.status(failed.length === 0 ? 200 : 503).json(nimHealthReady(failed.length === 0));
  });
  return router;
}
