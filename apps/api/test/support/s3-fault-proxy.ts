import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the proxy treats requests right now. */
export type S3FaultMode =
  /** Forward to the real S3 server. */
  | 'pass'
  /** Answer 503 ServiceUnavailable without forwarding (the body is read and dropped). */
  | 'unavailable'
  /** Cut the connection without an answer. */
  | 'reset';

/** A real HTTP proxy on loopback in front of an S3 server, whose faults a test switches on and off. */
export interface S3FaultProxy {
  /** Give this to the services as `S3_ENDPOINT`. */
  endpoint: string;
  mode: S3FaultMode;
  /** Requests refused (503 or reset) since start. */
  refused: number;
  close(): Promise<void>;
}

const UNAVAILABLE_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ServiceUnavailable</Code><Message>Please reduce your request rate.</Message></Error>';

export async function startS3FaultProxy(target: string): Promise<S3FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const proxy: S3FaultProxy = { endpoint: '', mode: 'pass', refused: 0, close: async () => {} };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    if (proxy.mode === 'pass') return forward(req, res);
    proxy.refused++;
    if (proxy.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(503, { 'content-type': 'application/xml', connection: 'close' });
      res.end(UNAVAILABLE_XML);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
