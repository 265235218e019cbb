import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FolioMetrics } from './metrics.registry.ts';

/**
 * True when `/metrics` may be answered: no token configured, or `Authorization: Bearer <token>`
 * matches it (compared in constant time).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  metrics: FolioMetrics;
  /** Config `METRICS_PORT`; 0 here picks a free port (callers skip the server when the config says 0). */
  port: number;
  host: string;
  /** Config `METRICS_TOKEN`. */
  token: string | undefined;
  /** Readiness of the process (e.g. processors registered and Redis answering). */
  ready: () => Promise<boolean>;
}

export interface MetricsServer {
  /** `http://host:port`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A worker process's small HTTP server: `GET /metrics` (Prometheus text), `GET /v1/health/live`
 * and `GET /v1/health/ready` (same paths and bodies as the API, so probes look alike).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, token } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    if (path === '/metrics') {
      if (!metricsAuthorized(req.headers.authorization, token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return json(401, { error: 'metrics token required' });
      }
      metrics.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
        (err: unknown) => json(500, { error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (path === '/v1/health/live') return json(200, { live: true });
    if (path === '/v1/health/ready') {
      options.ready().then(
        (ready) => json(ready ? 200 : 503, { ready }),
        () => json(503, { ready: false }),
      );
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
