import type { RequestHandler } from 'express';
import { AppError, errors } from '../errors/app-error.ts';
import { KEY_SHAPE, type KeyLookup } from './auth.middleware.ts';

/** Realm of the browser's Basic prompt for operator tools. */
export const ADMIN_REALM = 'folio-admin';

/**
 * The key from `Bearer <key>`, or from Basic credentials: the password when one is given (a
 * browser prompt asks for both, so any user name with the key as password), else the user name
 * (`curl -u KEY:`, as Nanonets clients send it).
 */
export function adminKeyFrom(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return decoded;
  const password = decoded.slice(colon + 1);
  return password !== '' ? password : decoded.slice(0, colon);
}

/**
 * Lets through only requests carrying an admin API key: none or unknown → 401 with a Basic
 * challenge (so a browser prompts), a valid key without `admin` → 403.
 */
export function requireAdmin(lookup: KeyLookup): RequestHandler {
  return async (req, res, next) => {
    const key = adminKeyFrom(req.headers.authorization);
    const principal = key && KEY_SHAPE.test(key) ? await lookup(key) : null;
    if (!principal) {
      res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}"`);
      throw errors.unauthorized('An admin API key is required: Bearer, or Basic with the key as password (or as user name).');
    }
    if (!principal.admin) {
      throw new AppError('forbidden', 'This API key is not an admin key. Create one with `folio keys create --admin`.');
    }
    res.locals.principal = principal;
    next();
  };
}
