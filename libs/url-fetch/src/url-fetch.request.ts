import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseIp } from './ip.address.ts';
import type { PinnedTarget } from './url-fetch.check.ts';
import { UrlFetchError } from './url-fetch.errors.ts';
import type { CompiledUrlFetchPolicy, ResolvedAddress } from './url-fetch.policy.ts';

const USER_AGENT = 'Folio-URL-Fetch/1';

/**
 * A `lookup` that answers only with addresses checked already, whatever name it is asked
 * for: the socket dials exactly what was vetted, so a DNS answer that changes between check
 * and connect (rebinding) never reaches it.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const usable = addresses.filter((a) => family === 0 || a.family === family);
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`no IPv${family} address among the checked ones`);
      err.code = 'ENOTFOUND';
      callback(err, '');
      return;
    }
    // Node ≥ 20 asks for every address (`all: true`) when it races IPv4 and IPv6 connects.
    if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  };
}

function networkError(target: PinnedTarget, err: unknown): UrlFetchError {
  const code = (err as NodeJS.ErrnoException).code;
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return new UrlFetchError('unreachable', `could not fetch from ${target.url.host}: ${detail}`, { cause: err });
}

/** A request other than the default GET (webhook deliveries POST a body). */
export interface RequestInit {
  method: 'GET' | 'POST';
  /** Added to (and overriding) the default headers. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * Sends one request (GET unless `init` says otherwise) to a checked target, dialling only its
 * pinned addresses with the original name as Host header and TLS server name. Resolves with
 * the response head; the caller owns (reads or destroys) the body.
 * @throws UrlFetchError `timeout` (connect or the signal) or `unreachable`.
 */
export function requestOnce(
  target: PinnedTarget,
  policy: CompiledUrlFetchPolicy,
  signal: AbortSignal,
  init?: RequestInit,
): Promise<IncomingMessage> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  const { url, hostname } = target;
  const secure = url.protocol === 'https:';
  const options: https.RequestOptions = {
    protocol: url.protocol,
    hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${url.pathname}${url.search}`,
    method: init?.method ?? 'GET',
    headers: {
      host: url.host,
      'user-agent': USER_AGENT,
      accept: '*/*',
      'accept-encoding': 'identity',
      ...(init?.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
      ...init?.headers,
    },
    // A fresh socket per hop: a pooled one could have been dialled for another vetted name.
    agent: false,
    lookup: pinnedLookup(target.addresses),
    ...(secure && parseIp(hostname) === null ? { servername: hostname } : {}),
    ...(secure && policy.ca !== undefined ? { ca: policy.ca } : {}),
  };

  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = (secure ? https : http).request(options);
    let connectTimer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => req.destroy(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });

    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        req.destroy(new UrlFetchError('timeout', `could not connect to ${url.host} within ${policy.connectTimeoutMs} ms`));
      }, policy.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('response', (res) => {
      cleanup();
      // Later socket failures surface on the response; keep the request from throwing them unhandled.
      req.on('error', (err) => res.destroy(err));
      resolve(res);
    });
    req.once('error', (err) => {
      cleanup();
      reject(err instanceof UrlFetchError ? err : networkError(target, err));
    });
    if (init?.body !== undefined) req.end(init.body);
    else req.end();
  });
}
