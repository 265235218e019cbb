import type { ApiDeps } from '../api.deps.ts';
import type { KeyLookup } from '../auth/auth.middleware.ts';

/** Resolves API keys through the database (hashed; revoked keys never match). */
export function databaseKeyLookup(deps: ApiDeps): KeyLookup {
  return async (plaintext) => {
    const found = await deps.db.apiKeys.findActiveByPlaintext(plaintext);
    return found ? { orgId: found.apiKey.orgId, keyId: found.apiKey.id, admin: found.apiKey.admin } : null;
  };
}
