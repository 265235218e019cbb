import type { RequestHandler } from 'express';
import { errors } from '../errors/app-error.ts';

export interface Principal {
  orgId: string;
  keyId: string;
  /** Admin keys may open operator tools (`/admin/queues`). */
  admin?: boolean;
}

/** Resolves a plaintext API key to its organization; null when unknown or revoked. */
export type KeyLookup = (plaintext: string) => Promise<Principal | null>;

/** API keys are opaque tokens; anything outside this shape is refused before touching the database. */
export const KEY_SHAPE = /^[A-Za-z0-9_\-.]{8,200}$/;

/**
 * Nanonets sends the key as the Basic username with an empty password; the other dialects send
 * `Authorization: Bearer <key>`. Both schemes are accepted everywhere so a client's habit never
 * locks it out, but each dialect documents its own.
 *
 * Exact on purpose: a header with anything after the token, or Basic credentials with a password,
 * is refused rather than read generously — a proxy or client that appends or mixes credentials
 * must fail loudly, not authenticate as whichever part happened to parse.
 */
export function extractKey(header: string | undefined): string | null {
  const credentials = parseAuthorization(header);
  if (credentials?.scheme === 'bearer') return credentials.token;
  if (credentials?.scheme === 'basic' && credentials.password === '') return credentials.user;
  return null;
}

export type Credentials = { scheme: 'bearer'; token: string } | { scheme: 'basic'; user: string; password: string };

const BEARER = /^Bearer +([A-Za-z0-9_\-.~+/]+=*)$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2})$/i;

/** `Bearer <one token>` or `Basic <base64 of user:password>` (RFC 6750, RFC 7617); else null. */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (!header) return null;
  const bearer = BEARER.exec(header.trim());
  if (bearer) return { scheme: 'bearer', token: bearer[1] as string };
  const basic = BASIC.exec(header.trim());
  if (!basic) return null;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function authenticate(lookup: KeyLookup, challenge: 'Basic' | 'Bearer'): RequestHandler {
  return async (req, res, next) => {
    const key = extractKey(req.headers.authorization);
    const principal = key && KEY_SHAPE.test(key) ? await lookup(key) : null;
    if (!principal) {
      res.setHeader('WWW-Authenticate', challenge === 'Basic' ? 'Basic realm="folio"' : 'Bearer');
      throw errors.unauthorized();
    }
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(locals: Record<string, unknown>): Principal {
  const p = locals.principal as Principal | undefined;
  if (!p) throw errors.unauthorized();
  return p;
}
