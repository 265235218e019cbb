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
 */
export function extractKey(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(0, colon);
  }
  return null;
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
