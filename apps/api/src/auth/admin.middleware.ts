import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, errors } from '../errors/app-error.ts';
import { KEY_SHAPE, type KeyLookup, parseAuthorization } from './auth.middleware.ts';

/** Realm of the browser's Basic prompt for operator tools. */
export const ADMIN_REALM = 'folio-admin';

/**
 * The key from `Bearer <key>`, or from Basic credentials where exactly one of user name and
 * password is given: a browser prompt asks for both, so the key goes in either box and the other
 * stays empty (`curl -u KEY:` as Nanonets clients send it). Two values are refused: which one is
 * the key would be a guess.
 */
export function adminKeyFrom(header: string | undefined): string | null {
  const credentials = parseAuthorization(header);
  if (credentials === null) return null;
  if (credentials.scheme === 'bearer') return credentials.token;
  const { user, password } = credentials;
  if (user !== '' && password !== '') return null;
  return user || password || null;
}

/**
 * Lets through only requests carrying the operator token (config `OPERATOR_TOKEN`, a credential
 * of no organization), given as an admin key is (Bearer, or Basic in one box). Organization keys,
 * admin or not, are refused (401): the dashboard shows every organization's jobs.
 */
export function requireOperator(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, res, next) => {
    const given = Buffer.from(adminKeyFrom(req.headers.authorization) ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}"`);
      throw errors.unauthorized(
        'The queue dashboard shows every organization and takes only the operator token (OPERATOR_TOKEN), not an API key: Bearer, or Basic with the token in one box and the other empty.',
      );
    }
    res.locals.operator = true;
    next();
  };
}

/**
 * Without an operator token, an organization's admin key may open what shows every
 * organization (the queue dashboard) only while there is no other organization to see: with a
 * second tenant the answer is 403 until `OPERATOR_TOKEN` is set. Runs after {@link requireAdmin}.
 */
export function requireSingleTenant(countOrganizationsUpTo: (limit: number) => Promise<number>): RequestHandler {
  return async (_req, _res, next) => {
    if ((await countOrganizationsUpTo(2)) > 1) {
      throw new AppError(
        'forbidden',
        "This deployment serves several organizations and the queue dashboard shows every organization's jobs: it opens only with the operator token. Set OPERATOR_TOKEN (a credential of no organization) to use it.",
      );
    }
    next();
  };
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
      throw errors.unauthorized('An admin API key is required: Bearer, or Basic with the key as password and an empty user name (or as user name with an empty password).');
    }
    if (!principal.admin) {
      throw new AppError('forbidden', 'This API key is not an admin key. Create one with `folio keys create --admin`.');
    }
    res.locals.principal = principal;
    next();
  };
}
