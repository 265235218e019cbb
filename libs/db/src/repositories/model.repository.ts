import type { PrismaClient } from '../generated/client.ts';
import type { ModelKind } from '../generated/enums.ts';
import type { ModelModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid } from '../db.util.ts';

/** A Nanonets model (id = model_id). */
export type ModelRow = ModelModel;

export interface CreateModelInput {
  /** Given when the caller fixes the id (FOLIO_DEV_MODEL_ID); random UUIDv7 otherwise. */
  id?: string;
  orgId: string;
  /** @defaultValue OCR */
  kind?: ModelKind;
  name: string;
  /** @defaultValue [] */
  labels?: string[];
}

export function createModelRepository(prisma: PrismaClient) {
  return {
    /** An existing id → DbError `unique_violation`. */
    create(input: CreateModelInput): Promise<ModelRow> {
      return withDbErrors(() =>
        prisma.model.create({
          data: { ...(input.id ? { id: input.id } : {}), orgId: input.orgId, kind: input.kind ?? 'OCR', name: input.name, labels: input.labels ?? [] },
        }),
      );
    },

    /** The model if it belongs to `orgId`; another tenant's id (or a malformed one) → null. */
    findForOrg(id: string, orgId: string): Promise<ModelRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.model.findFirst({ where: { id, orgId } }));
    },

    /** Which of `ids` name an existing model (the reaper's sweep of orphaned training objects). */
    async existingIds(ids: readonly string[]): Promise<Set<string>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Set();
      const rows = await withDbErrors(() => prisma.model.findMany({ where: { id: { in: valid } }, select: { id: true } }));
      return new Set(rows.map((r) => r.id));
    },

    /** Deletes a model of `orgId` with its training images and runs (rows; the reaper removes their objects). @returns false when not found. */
    async delete(id: string, orgId: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await withDbErrors(() => prisma.model.deleteMany({ where: { id, orgId } }));
      return res.count === 1;
    },

    /** Models of `orgId`, oldest first. */
    listForOrg(orgId: string): Promise<ModelRow[]> {
      return withDbErrors(() => prisma.model.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } }));
    },

    /** Renames or relabels a model of `orgId`. @returns null when not found. */
    async update(id: string, orgId: string, patch: { name?: string; labels?: string[] }): Promise<ModelRow | null> {
      if (!isUuid(id)) return null;
      const res = await withDbErrors(() => prisma.model.updateMany({ where: { id, orgId }, data: patch }));
      return res.count === 1 ? withDbErrors(() => prisma.model.findUnique({ where: { id } })) : null;
    },
  };
}

export type ModelRepository = ReturnType<typeof createModelRepository>;
