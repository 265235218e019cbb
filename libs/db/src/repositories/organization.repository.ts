import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/client.ts';
import type { OrganizationModel } from '../generated/models.ts';
import { DbError, withDbErrors } from '../db.errors.ts';
import { isUuid } from '../db.util.ts';
import { apiKeyPrefix, generateApiKey, hashApiKey, type ApiKeyRow } from './api-key.repository.ts';
import type { ModelRow } from './model.repository.ts';

/** A tenant. */
export type OrganizationRow = OrganizationModel;

/** Slug of the organization `npm start` creates. */
export const DEV_ORGANIZATION_SLUG = 'development';
/** Name of the full-text OCR model `npm start` creates. */
export const DEV_MODEL_NAME = 'Full-text OCR';
// Advisory lock key serializing ensureDevOrganization across processes (any constant unique to Folio).
const DEV_ORGANIZATION_LOCK = 0x466f6c6;

export interface DevOrganization {
  organization: OrganizationRow;
  apiKey: ApiKeyRow;
  /** The key to print; usable as the Basic-auth username. */
  plaintextKey: string;
  model: ModelRow;
}

function slugify(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
  return `${base}-${randomBytes(4).toString('hex')}`;
}

export function createOrganizationRepository(prisma: PrismaClient) {
  return {
    /** Creates an organization. `slug` defaults to the name plus a random suffix; a taken slug → `unique_violation`. */
    create(input: { name: string; slug?: string }): Promise<OrganizationRow> {
      return withDbErrors(() => prisma.organization.create({ data: { name: input.name, slug: input.slug ?? slugify(input.name) } }));
    },

    findById(id: string): Promise<OrganizationRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.organization.findUnique({ where: { id } }));
    },

    /** Which of `ids` name an existing organization (the reaper's sweep of orphaned objects). */
    async existingIds(ids: readonly string[]): Promise<Set<string>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Set();
      const rows = await withDbErrors(() => prisma.organization.findMany({ where: { id: { in: valid } }, select: { id: true } }));
      return new Set(rows.map((r) => r.id));
    },

    /** How many organizations exist, counting no further than `limit` (is this deployment single-tenant?). */
    countUpTo(limit: number): Promise<number> {
      return withDbErrors(() => prisma.organization.count({ take: limit }));
    },

    findBySlug(slug: string): Promise<OrganizationRow | null> {
      return withDbErrors(() => prisma.organization.findUnique({ where: { slug } }));
    },

    /**
     * Sets how many days the organization's files are kept (`null`: the deployment default).
     * New files take it at creation. With `reapplyDays` (the days now in force, the default
     * when `days` is null), the organization's existing files are re-dated to
     * `created_at + reapplyDays`, so shortening retention removes old files at the next sweep.
     * @returns the organization and how many files were re-dated; null when it does not exist.
     */
    async setRetention(id: string, days: number | null, options: { reapplyDays?: number } = {}): Promise<{ organization: OrganizationRow; files: number } | null> {
      if (!isUuid(id)) return null;
      if (days !== null && (!Number.isInteger(days) || days < 1)) throw new RangeError(`retention must be a whole number of days ≥ 1, got ${days}`);
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const updated = await tx.organization.updateManyAndReturn({ where: { id }, data: { retentionDays: days } });
          const organization = updated[0];
          if (!organization) return null;
          const reapply = options.reapplyDays;
          const files =
            reapply === undefined
              ? 0
              : await tx.$executeRaw`UPDATE files SET expires_at = created_at + make_interval(days => ${reapply}::int), updated_at = now()
                                     WHERE org_id = ${id}::uuid AND deleted_at IS NULL`;
          return { organization, files };
        }),
      );
    },

    /**
     * Makes sure the development organization exists with a usable key and a full-text OCR
     * model; safe to call at every start, from several processes at once.
     * - `apiKey` given: that key is (re)used (un-revoked if needed); it must not belong to another
     *   organization. Not given: a new random key is created each call (only hashes are stored,
     *   so an old one cannot be shown again; pass `apiKey` for a stable key).
     * - `modelId` given: that model is used, created if missing (another tenant's id →
     *   `unique_violation`). Not given: the organization's first OCR model, created if none.
     */
    async ensureDevOrganization(options: { apiKey?: string; modelId?: string } = {}): Promise<DevOrganization> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          // Several processes (api, workers) may start at once: one at a time past this point.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEV_ORGANIZATION_LOCK})`;
          const organization = await tx.organization.upsert({
            where: { slug: DEV_ORGANIZATION_SLUG },
            create: { slug: DEV_ORGANIZATION_SLUG, name: 'Development' },
            update: {},
          });
          const orgId = organization.id;

          const plaintext = options.apiKey ?? generateApiKey();
          const keyHash = hashApiKey(plaintext);
          const existing = await tx.apiKey.findUnique({ where: { keyHash }, omit: { keyHash: true } });
          if (existing && existing.orgId !== orgId) {
            throw new DbError('unique_violation', 'The requested development API key belongs to another organization');
          }
          const apiKey = existing
            ? existing.revokedAt
              ? await tx.apiKey.update({ where: { id: existing.id }, data: { revokedAt: null }, omit: { keyHash: true } })
              : existing
            : await tx.apiKey.create({
                data: { orgId, name: 'development', keyHash, prefix: apiKeyPrefix(plaintext) },
                omit: { keyHash: true },
              });

          let model: ModelRow | null;
          if (options.modelId) {
            model = await tx.model.findUnique({ where: { id: options.modelId } });
            if (model && model.orgId !== orgId) {
              throw new DbError('unique_violation', 'The requested development model id belongs to another organization');
            }
          } else {
            model = await tx.model.findFirst({ where: { orgId, kind: 'OCR' }, orderBy: { createdAt: 'asc' } });
          }
          model ??= await tx.model.create({
            data: { ...(options.modelId ? { id: options.modelId } : {}), orgId, kind: 'OCR', name: DEV_MODEL_NAME, labels: [] },
          });
          return { organization, apiKey, plaintextKey: plaintext, model };
        }, { timeout: 30_000 }),
      );
    },
  };
}

export type OrganizationRepository = ReturnType<typeof createOrganizationRepository>;
