import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import type { ApiDeps } from '../../api.deps.ts';
import { requireAdmin, requireOperator, requireSingleTenant } from '../../auth/admin.middleware.ts';
import type { KeyLookup } from '../../auth/auth.middleware.ts';
import { setMetricsRoute } from '../../http/http-metrics.middleware.ts';
import { dashboardQueues } from '../../services/queue-dashboard.service.ts';

/** Where the queue dashboard is mounted. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over every Folio queue at `/admin/queues` (HTML page, and its JSON API under
 * `/admin/queues/api/...`), for the operator token when `OPERATOR_TOKEN` is set (it shows every
 * organization's jobs, so no organization's key opens it), else for admin keys while the
 * deployment has one organization (with a second one, admin keys get 403 until OPERATOR_TOKEN
 * is set: bull-board cannot show an admin only its own organization's jobs). Operators can retry, promote or clean jobs
 * there; Postgres stays the source of truth, so a job removed by hand is rebuilt by the reconciler.
 */
export function queueDashboardRouter(deps: ApiDeps, keys: KeyLookup): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: dashboardQueues(deps).map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 declares its adapter against its own nested copy of
    // @bull-board/api 9.10.1 (types only; at run time it needs just express and ejs), whose private
    // fields make TypeScript reject it against the 9.10.2 installed at the top.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Folio queues' } },
  });
  const router = Router();
  router.use(
    QUEUE_DASHBOARD_PATH,
    (_req, res, next) => {
      setMetricsRoute(res, `${QUEUE_DASHBOARD_PATH}/*`);
      next();
    },
    ...(deps.config.OPERATOR_TOKEN
      ? [requireOperator(deps.config.OPERATOR_TOKEN)]
      : [requireAdmin(keys), requireSingleTenant((limit) => deps.db.organizations.countUpTo(limit))]),
    adapter.getRouter() as Router,
  );
  return router;
}
