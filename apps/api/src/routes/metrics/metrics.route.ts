import { Router } from 'express';
import { metricsAuthorized, type FolioMetrics } from '@folio/services';
import { errors } from '../../errors/app-error.ts';

/**
 * `GET /metrics`: Prometheus text format of this process's registry (under `npm start` that
 * includes the workers). Open unless `METRICS_TOKEN` is set, then `Authorization: Bearer <token>`.
 */
export function metricsRouter(metrics: FolioMetrics, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!metricsAuthorized(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw errors.unauthorized('A metrics token is required (Authorization: Bearer <METRICS_TOKEN>).');
    }
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
