import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got, with its raw body (what signatures are computed over). */
export interface ReceivedHook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Status the receiver answered. */
  answered: number;
}

export interface WebhookReceiver {
  url(path: string): string;
  /** Requests received so far, optionally on one path. */
  received(path?: string): ReceivedHook[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 answering each path with a script of statuses: `{ '/flaky': [500,
 * 500, 200] }` answers 500 twice then 200 for ever after (the last entry repeats). Paths not in
 * the script answer 200.
 */
export async function startWebhookReceiver(script: Record<string, number[]> = {}): Promise<WebhookReceiver> {
  const log: ReceivedHook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const statuses = script[path] ?? [200];
      const seen = log.filter((h) => h.path === path).length;
      const answered = statuses[Math.min(seen, statuses.length - 1)] ?? 200;
      log.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'receiver error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received: (path) => log.filter((h) => path === undefined || h.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
