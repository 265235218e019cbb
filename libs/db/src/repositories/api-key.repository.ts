import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/client.ts';
import type { ApiKeyModel, OrganizationModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid } from '../db.util.ts';

/** An API key as stored, without its hash. */
export type ApiKeyRow = Omit<ApiKeyModel, 'keyHash'>;

/** Characters of the plaintext kept for display. */
const PREFIX_LENGTH = 12;

/** Lowercase hex sha256 of a plaintext key: what is stored and looked up. */
export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

/** A new random key: `folio_` + 32 base64url characters (192 bits). */
export function generateApiKey(): string {
  return `folio_${randomBytes(24).toString('base64url')}`;
}

/** What is kept of a plaintext key for display. */
export function apiKeyPrefix(plaintext: string): string {
  return plaintext.slice(0, PREFIX_LENGTH);
}

const omitHash = { keyHash: true } as const;

export function createApiKeyRepository(prisma: PrismaClient) {
  return {
    /**
     * Creates a key for `orgId`. The plaintext (given, or random) is returned here once and
     * never stored. A plaintext that already exists → DbError `unique_violation`.
     * `admin` keys may also open operator tools (queue dashboard). @defaultValue admin false
     */
    create(orgId: string, input: { name?: string; plaintext?: string; admin?: boolean } = {}): Promise<{ apiKey: ApiKeyRow; plaintext: string }> {
      const plaintext = input.plaintext ?? generateApiKey();
      return withDbErrors(async () => {
        const apiKey = await prisma.apiKey.create({
          data: { orgId, name: input.name ?? null, keyHash: hashApiKey(plaintext), prefix: apiKeyPrefix(plaintext), admin: input.admin ?? false },
          omit: omitHash,
        });
        return { apiKey, plaintext };
      });
    },

    /** The unrevoked key with this plaintext and its organization, or null. */
    async findActiveByPlaintext(plaintext: string): Promise<{ apiKey: ApiKeyRow; organization: OrganizationModel } | null> {
      const row = await withDbErrors(() =>
        prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(plaintext) }, omit: omitHash, include: { organization: true } }),
      );
      if (!row || row.revokedAt) return null;
      const { organization, ...apiKey } = row;
      return { apiKey, organization };
    },

    /** Records use; cheap enough to call per request, but callers may throttle it. */
    async touch(id: string, at: Date = new Date()): Promise<void> {
      await withDbErrors(() => prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } }));
    },

    /** Revokes a key of `orgId`. @returns false when no such active key. */
    async revoke(id: string, orgId: string, at: Date = new Date()): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await withDbErrors(() => prisma.apiKey.updateMany({ where: { id, orgId, revokedAt: null }, data: { revokedAt: at } }));
      return res.count === 1;
    },

    /** Keys of `orgId`, newest first, revoked ones included. */
    listForOrg(orgId: string): Promise<ApiKeyRow[]> {
      return withDbErrors(() => prisma.apiKey.findMany({ where: { orgId }, omit: omitHash, orderBy: { createdAt: 'desc' } }));
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
