// Test helpers: loopback-only HTTP servers and a guard that keeps every connect on loopback.
import http from 'node:http';
import https from 'node:https';
import net, { isIP, type AddressInfo, type LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Readable } from 'node:stream';

export interface SeenRequest {
  path: string;
  host: string | undefined;
  /** TLS server name (SNI) the client sent; https only. */
  servername?: string | false;
}

export interface TestServer {
  port: number;
  /** `http(s)://<address>:<port><path>`. */
  url(path?: string): string;
  requests: SeenRequest[];
  /** TCP connections accepted. */
  connections: number;
  close(): Promise<void>;
}

/** Listens on a random port of a loopback address only. */
export async function startServer(
  handler: http.RequestListener,
  opts: { host?: string; tls?: { key: string; cert: string } } = {},
): Promise<TestServer> {
  const host = opts.host ?? '127.0.0.1';
  const requests: SeenRequest[] = [];
  const wrapped: http.RequestListener = (req, res) => {
    const servername = (req.socket as Partial<TLSSocket>).servername;
    requests.push({ path: req.url ?? '', host: req.headers.host, ...(servername == null ? {} : { servername }) });
    handler(req, res);
  };
  const server = opts.tls ? https.createServer(opts.tls, wrapped) : http.createServer(wrapped);
  const state = { connections: 0 };
  server.on(opts.tls ? 'secureConnection' : 'connection', () => state.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: (path = '/') => `${opts.tls ? 'https' : 'http'}://${shown}:${port}${path}`,
    requests,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type ConnectOptions = { host?: string; port?: number | string; path?: string | null; lookup?: LookupFunction };

export interface NetworkGuard {
  /** TCP connects started (net and tls alike) since install. */
  readonly connects: number;
  /** Non-loopback destinations that were stopped; must stay empty. */
  readonly blocked: string[];
  restore(): void;
}

function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return a === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(a) || a === 'localhost';
}

/**
 * Patches `net.Socket.prototype.connect` for this test process so that every TCP connect is
 * counted and any destination off loopback is refused before a packet leaves, even if the code
 * under test regresses. Real DNS is refused too: tests resolve names through overrides only.
 */
export function installNetworkGuard(): NetworkGuard {
  const original = net.Socket.prototype.connect;
  const state = { connects: 0, blocked: [] as string[] };
  const refuse = (socket: net.Socket, what: string): net.Socket => {
    state.blocked.push(what);
    process.nextTick(() => socket.destroy(new Error(`test network guard: refused to connect to ${what}`)));
    return socket;
  };
  function guarded(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = args[0];
    const opts = (Array.isArray(first) ? first[0] : first) as ConnectOptions | number | string | undefined;
    if (typeof opts === 'object' && opts !== null && !opts.path) {
      state.connects++;
      const host = opts.host ?? 'localhost';
      if (isIP(host)) {
        if (!isLoopback(host)) return refuse(this, host);
      } else if (opts.lookup) {
        const inner = opts.lookup;
        opts.lookup = (hostname, options, callback) =>
          inner(hostname, options, (err, address, family) => {
            const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
            const bad = err ? [] : list.filter((a) => !isLoopback(a));
            if (bad.length > 0) {
              state.blocked.push(...bad);
              callback(Object.assign(new Error(`test network guard: refused ${bad.join(', ')}`), { code: 'ETESTGUARD' }), '');
            } else callback(err, address, family);
          });
      } else if (!isLoopback(host)) {
        return refuse(this, `${host} (real DNS)`);
      }
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  }
  net.Socket.prototype.connect = guarded as typeof original;
  return {
    get connects() {
      return state.connects;
    },
    blocked: state.blocked,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}

/** Runs `run` and counts the TCP connects it started (needs an installed guard). */
export async function countOutgoingConnects<T>(
  guard: NetworkGuard,
  run: () => Promise<T>,
): Promise<{ connects: number; result: PromiseSettledResult<T> }> {
  const before = guard.connects;
  const [result] = await Promise.allSettled([run()]);
  return { connects: guard.connects - before, result: result as PromiseSettledResult<T> };
}

/** A sink that keeps the whole body (tests only: bodies are small). */
export async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
