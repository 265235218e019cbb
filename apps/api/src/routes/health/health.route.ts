import { Router } from 'express';

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

/** NIM-style health routes; load balancers use them for every dialect. */
export function healthRouter(checks: ReadinessChecks): Router {
  const router = Router();
  router.get('/v1/health/live', (_req, res) => {
    res.json({ live: true });
  });
  router.get('/v1/health/ready', async (_req, res) => {
    const results = await runChecks(checks);
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ ready, checks: results });
  });
  return router;
}
