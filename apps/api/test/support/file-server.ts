import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A body (after `delayMs`, a slow origin), a redirect or a bare status. */
export type Served = { body: Uint8Array; type: string; delayMs?: number } | { redirect: string } | { status: number };

export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths requested so far, in order. */
  hits: string[];
  close(): Promise<void>;
}

/** A plain HTTP server on 127.0.0.1 serving generated documents, redirects and errors by path. */
export async function startFileServer(routes: Record<string, Served>): Promise<FileServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.push(path);
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end('not found');
    } else if ('redirect' in route) {
      res.writeHead(302, { location: route.redirect }).end();
    } else if ('status' in route) {
      res.writeHead(route.status).end();
    } else {
      const send = () => res.writeHead(200, { 'content-type': route.type, 'content-length': route.body.length }).end(Buffer.from(route.body));
      if (route.delayMs) setTimeout(send, route.delayMs);
      else send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
