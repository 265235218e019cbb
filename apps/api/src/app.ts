import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import type { operationTables } from '@folio/contracts';
import { pinoHttp } from 'pino-http';

import type { FolioMetrics } from '@folio/services';
import type { ApiDeps } from './api.deps.ts';
import { errors } from './errors/app-error.ts';
import { errorMiddleware } from './errors/error.middleware.ts';
import { httpMetrics } from './http/http-metrics.middleware.ts';
import { queueDashboardRouter } from './routes/admin/queue-dashboard.route.ts';
import { apiDocsRouter } from './routes/docs/api-docs.route.ts';
import { healthRouter, type ReadinessChecks } from './routes/health/health.route.ts';
import { doctrRouter } from './routes/doctr/index.ts';
import { mistralRouter } from './routes/mistral/index.ts';
import { nanonetsRouter } from './routes/nanonets/index.ts';
import { nimRouter } from './routes/nim/index.ts';
import { metricsRouter } from './routes/metrics/metrics.route.ts';
import { openApiRouter } from './routes/openapi/openapi.route.ts';
import { reviewRouter } from './routes/review/index.ts';
import { reviewUiRouter } from './routes/review/review-ui.route.ts';
import { webhooksRouter } from './routes/webhooks/index.ts';
import { databaseKeyLookup } from './services/api-keys.service.ts';
import { recognizerReady, serviceChecks } from './services/readiness.service.ts';

export interface AppOptions {
  /** Extra service readiness checks, answered by both readiness routes. */
  readiness?: ReadinessChecks;
  /** The process's metrics when another part of it (workers under `npm start`) already made them. */
  metrics?: FolioMetrics;
}

/**
 * One `request completed` line per request (info; warn from 500 up) with its request id, method,
 * URL, status and duration. Headers are left out (they carry API keys); probes and scrapes
 * (`/v1/health/*`, `/metrics`) are not logged.
 */
function accessLog(deps: ApiDeps) {
  return pinoHttp({
    logger: deps.logger,
    // The id the middleware above chose (the client's X-Request-Id, else a new UUID).
    genReqId: (_req, res) => String(res.getHeader('x-request-id')),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/metrics' || (req.url ?? '').startsWith('/v1/health/') },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    quietReqLogger: true,
  });
}

/** Builds the Express app from its dependencies; starts nothing. */
export function createApp(deps: ApiDeps, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(httpMetrics(deps.metrics));
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    // Draining: tell keep-alive clients to reconnect (to another replica, or to the restarted one).
    if (deps.shutdown?.aborted) res.setHeader('Connection', 'close');
    next();
  });
  app.use(accessLog(deps));

  const keys = databaseKeyLookup(deps);
  // One router per operation table of @folio/contracts; leaving a table out does not compile.
  const apiRouters = {
    health: healthRouter({
      service: { ...serviceChecks(deps), ...options.readiness },
      // Models are loaded before a recognize worker connects, so one connected means OCR can run.
      engine: { recognizer: () => recognizerReady(deps) },
    }),
    nanonets: nanonetsRouter(deps, keys),
    files: mistralRouter(deps, keys),
    nim: nimRouter(deps, keys),
    doctr: doctrRouter(deps, keys),
    webhooks: webhooksRouter(deps, keys),
    meta: openApiRouter(deps),
    review: reviewRouter(deps, keys),
  } satisfies Record<keyof typeof operationTables, Router>;
  for (const router of Object.values(apiRouters)) app.use(router);
  app.use(apiDocsRouter());
  app.use(reviewUiRouter());
  app.use(metricsRouter(deps.metrics, deps.config.METRICS_TOKEN));
  app.use(queueDashboardRouter(deps, keys));

  app.use((req) => {
    throw errors.notFound('Route', `${req.method} ${req.path}`);
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}

