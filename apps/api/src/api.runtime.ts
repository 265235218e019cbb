import { setMaxListeners } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@folio/config';
import { connectServices, createMetrics } from '@folio/services';
import type { Logger } from 'pino';
import { createApp, type AppOptions } from './app.ts';

export interface ApiRuntime {
  server: Server;
  /** `http://host:port` the server listens on. */
  url: string;
  /**
   * Graceful shutdown: sync requests still waiting answer at once with the ids to poll, new
   * connections are refused, in-flight requests finish (bounded, 10 s), then services disconnect.
   */
  close(): Promise<void>;
}

/** Connects to the configured services and listens on `PORT`. */
export async function startApiRuntime(config: Config, logger: Logger, options: AppOptions = {}): Promise<ApiRuntime> {
  // A request that enqueues must answer 503 during a Redis outage, not hang until it ends.
  const services = connectServices(config, 'api', { redisCommandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const metrics = options.metrics ?? createMetrics();
  const unobserve = metrics.observeQueues(() => services.queues.counts());
  const stopping = new AbortController();
  // Every waiting sync request listens to it: many at once is normal, not a leak.
  setMaxListeners(0, stopping.signal);
  const app = createApp({ ...services, config, logger, metrics, shutdown: stopping.signal }, options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  // Sync requests may wait up to SYNC_TIMEOUT_MS for their result; keep sockets open longer than that.
  server.requestTimeout = config.SYNC_TIMEOUT_MS + 60_000;
  server.headersTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  logger.info({ url }, 'api listening');
  let closing: Promise<void> | undefined;
  return {
    server,
    url,
    close: () =>
      (closing ??= (async () => {
        // Waiting sync requests answer now with the ids to poll; the work goes on in the workers.
        stopping.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, 10_000).unref();
        });
        unobserve();
        await services.close();
      })()),
  };
}
