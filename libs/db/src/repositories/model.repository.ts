import type { Prisma, PrismaClient } from '../generated/client.ts';
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
    /**
     * Sets a model's categories and renames, in one transaction, what carries the old names: its
     * training images' annotations and the field boxes of its pages. @returns null when it is gone.
     */
    relabel(id: string, orgId: string, labels: readonly string[], rename: Readonly<Record<string, string>>): Promise<ModelRow | null> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const updated = await tx.model.updateManyAndReturn({ where: { id, orgId }, data: { labels: [...labels] } });
          if (updated.length === 0) return null;
          if (Object.keys(rename).length > 0) {
            const images = await tx.trainingImage.findMany({ where: { modelId: id, orgId }, select: { id: true, annotations: true } });
            for (const image of images) {
              const next = renameAnnotations(image.annotations, rename);
              if (JSON.stringify(next) !== JSON.stringify(image.annotations)) await tx.trainingImage.update({ where: { id: image.id }, data: { annotations: next as Prisma.InputJsonValue } });
            }
            for (const [from, to] of Object.entries(rename)) {
              await tx.prediction.updateMany({ where: { label: from, type: 'field', page: { modelId: id, orgId } }, data: { label: to } });
            }
          }
          return updated[0] ?? null;
        }),
      );
    },

    async update(id: string, orgId: string, patch: { name?: string; labels?: string[] }): Promise<ModelRow | null> {
      if (!isUuid(id)) return null;
      const res = await withDbErrors(() => prisma.model.updateMany({ where: { id, orgId }, data: patch }));
      return res.count === 1 ? withDbErrors(() => prisma.model.findUnique({ where: { id } })) : null;
    },
  };
}

/** Renames in annotation JSON (a Nanonets `data` entry or a list of them). */
function renameAnnotations(raw: unknown, rename: Readonly<Record<string, string>>): unknown {
  const one = (a: unknown) => {
    if (!a || typeof a !== 'object' || !Array.isArray((a as { object?: unknown }).object)) return a;
    const entry = a as { object: Array<{ name?: unknown }> };
    return { ...entry, object: entry.object.map((o) => (o && typeof o.name === 'string' && rename[o.name] ? { ...o, name: rename[o.name] } : o)) };
  };
  return Array.isArray(raw) ? raw.map(one) : one(raw);
}

export type ModelRepository = ReturnType<typeof createModelRepository>;
