import { lookup } from 'node:dns/promises';
import type { Config } from '@folio/config';
import { z } from 'zod';
import { parseCidr, type Cidr } from './ip.address.ts';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (like `dns.lookup(name, { all: true })`). */
export type ResolveFn = (hostname: string) => Promise<ResolvedAddress[]>;

/** Extra certificate authorities to trust for https (PEM); as `tls.connect`'s `ca`. */
export type TrustedCa = string | Buffer | Array<string | Buffer>;

/** How URL inputs may be fetched. Every field is optional; defaults are listed per field. */
export interface UrlFetchPolicy {
  /** Deadline for the whole fetch: DNS, connects, redirects and the body. @defaultValue 20_000 ms */
  timeoutMs?: number;
  /** Deadline for each TCP connect. @defaultValue min(10_000, timeoutMs) ms */
  connectTimeoutMs?: number;
  /** Largest body accepted, in bytes. @defaultValue 104_857_600 (100 MiB) */
  maxBytes?: number;
  /** Redirects followed before giving up (0 refuses any redirect). @defaultValue 5 */
  maxRedirects?: number;
  /**
   * CIDRs (`10.0.0.0/8`, `::1/128`, or a bare address) that may be fetched from although not
   * public. An entry also admits IPv6 forms that embed its IPv4 addresses. @defaultValue []
   */
  allowPrivate?: readonly string[];
  /** DNS override (tests, custom resolvers). @defaultValue `dns.lookup` with `all: true` */
  resolve?: ResolveFn;
  /** CAs to trust for https instead of Node's bundled roots, as `tls.connect`'s `ca`. @defaultValue Node's roots */
  ca?: TrustedCa;
  /**
   * Targets never connected to whatever `allowPrivate` says, asked for the first URL and every
   * redirect with each address it resolved to (Folio's own storage endpoint, whose objects must
   * be read from storage, not fetched). @defaultValue none
   */
  forbidTarget?: ForbidTargetFn;
}

/** True when `url`, connecting to `address`, must not be fetched. */
export type ForbidTargetFn = (url: URL, address: string) => boolean;

/** A policy with defaults applied and CIDRs parsed. */
export interface CompiledUrlFetchPolicy {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly allow: readonly Cidr[];
  readonly resolve: ResolveFn;
  readonly ca?: TrustedCa;
  readonly forbidTarget?: ForbidTargetFn;
}

export const URL_FETCH_DEFAULTS = Object.freeze({
  timeoutMs: 20_000,
  maxBytes: 100 * 1024 * 1024,
  maxRedirects: 5,
  connectTimeoutMs: 10_000,
});

const policySchema = z.object({
  timeoutMs: z.number().int().positive().default(URL_FETCH_DEFAULTS.timeoutMs),
  connectTimeoutMs: z.number().int().positive().optional(),
  maxBytes: z.number().int().positive().default(URL_FETCH_DEFAULTS.maxBytes),
  maxRedirects: z.number().int().min(0).max(50).default(URL_FETCH_DEFAULTS.maxRedirects),
  allowPrivate: z.array(z.string()).readonly().default([]),
  resolve: z.custom<ResolveFn>((v) => typeof v === 'function', 'resolve must be a function').optional(),
  ca: z.custom<TrustedCa>((v) => typeof v === 'string' || Buffer.isBuffer(v) || Array.isArray(v)).optional(),
  forbidTarget: z.custom<ForbidTargetFn>((v) => typeof v === 'function', 'forbidTarget must be a function').optional(),
});

/** Uses the system resolver (getaddrinfo: /etc/hosts, then DNS), every address, in its order. */
export const systemResolve: ResolveFn = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

const compiled = new WeakSet<CompiledUrlFetchPolicy>();

/**
 * Applies defaults and parses the allow-list; a policy compiled already is returned as is,
 * so callers may compile once at start-up and pass the result on every fetch.
 * @throws Error naming each bad field (a configuration mistake, not a client error).
 */
export function compileUrlFetchPolicy(input: UrlFetchPolicy | CompiledUrlFetchPolicy = {}): CompiledUrlFetchPolicy {
  if (compiled.has(input as CompiledUrlFetchPolicy)) return input as CompiledUrlFetchPolicy;
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid URL fetch policy: ${z.prettifyError(parsed.error)}`);
  const p = parsed.data;
  const out: CompiledUrlFetchPolicy = Object.freeze({
    timeoutMs: p.timeoutMs,
    connectTimeoutMs: p.connectTimeoutMs ?? Math.min(URL_FETCH_DEFAULTS.connectTimeoutMs, p.timeoutMs),
    maxBytes: p.maxBytes,
    maxRedirects: p.maxRedirects,
    allow: Object.freeze(p.allowPrivate.map(parseCidr)),
    resolve: p.resolve ?? systemResolve,
    ...(p.ca === undefined ? {} : { ca: p.ca }),
    ...(p.forbidTarget === undefined ? {} : { forbidTarget: p.forbidTarget }),
  });
  compiled.add(out);
  return out;
}

/** The policy the environment asks for (`URL_FETCH_TIMEOUT_MS`, `URL_FETCH_MAX_BYTES`, `URL_ALLOW_PRIVATE`). */
export function urlFetchPolicyFromConfig(
  config: Pick<Config, 'URL_FETCH_TIMEOUT_MS' | 'URL_FETCH_MAX_BYTES' | 'URL_ALLOW_PRIVATE'>,
): UrlFetchPolicy {
  return {
    timeoutMs: config.URL_FETCH_TIMEOUT_MS,
    maxBytes: config.URL_FETCH_MAX_BYTES,
    allowPrivate: config.URL_ALLOW_PRIVATE,
  };
}
