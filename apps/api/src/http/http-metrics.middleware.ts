import type { Request, RequestHandler, Response } from 'express';
import type { FolioMetrics } from '@folio/services';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Label for requests no route matched (404s, static files): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Route label for everything a router serves without its own route (e.g. static assets under a mount). */
export function setMetricsRoute(res: Response, route: string): void {
  res.locals.metricsRoute = route;
}

/**
 * Express assigns `req.route` when a route matches, while `req.baseUrl` still holds the mount path
 * (`/api/v2`). By the time the response finishes, an error passed to `next` may have unwound
 * `baseUrl`, so the full pattern is captured at the moment of assignment.
 */
function capturePattern(req: Request): () => string | undefined {
  let route: unknown;
  let pattern: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      // A route with several paths (bull-board's entry page) is labelled by its mount.
      pattern = typeof path === 'string' ? `${req.baseUrl}${path}` : `${req.baseUrl}/*`;
    },
  });
  return () => pattern;
}

/**
 * Times every request into `folio_http_request_duration_seconds` by method, route pattern
 * (`/v1/files/:file_id`, never the raw URL) and status. Mount first.
 */
export function httpMetrics(metrics: FolioMetrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpSeconds.startTimer();
    const pattern = capturePattern(req);
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const fallback = res.locals.metricsRoute as string | undefined;
      end({
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        route: pattern() ?? fallback ?? UNMATCHED_ROUTE,
        // A client that hung up before the answer was sent.
        status: res.writableFinished ? String(res.statusCode) : 'aborted',
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
