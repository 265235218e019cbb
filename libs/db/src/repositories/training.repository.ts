import type { Prisma, PrismaClient } from '../generated/client.ts';
import type { TrainingRunStatus } from '../generated/enums.ts';
import type { TrainingImageModel, TrainingRunModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid, pageSize } from '../db.util.ts';

/** A training image and its annotations (Nanonets UploadFile `data`). */
export type TrainingImageRow = TrainingImageModel;
/** One Train request. */
export type TrainingRunRow = TrainingRunModel;

export interface TrainingImageInput {
  storageKey: string;
  filename: string;
  /** Parsed annotation JSON. @defaultValue [] */
  annotations?: unknown;
}

/** Training images and runs. Callers check the model belongs to `orgId` first (models.findForOrg). */
export function createTrainingRepository(prisma: PrismaClient) {
  return {
    /** Adds images to a model. */
    addImages(modelId: string, orgId: string, images: readonly TrainingImageInput[]): Promise<TrainingImageRow[]> {
      return withDbErrors(() =>
        prisma.trainingImage.createManyAndReturn({
          data: images.map((img) => ({
            modelId,
            orgId,
            storageKey: img.storageKey,
            filename: img.filename,
            annotations: (img.annotations ?? []) as Prisma.InputJsonValue,
          })),
        }),
      );
    },

    /** Images of a model, oldest first. */
    listImages(modelId: string, orgId: string, options: { limit?: number; offset?: number } = {}): Promise<TrainingImageRow[]> {
      if (!isUuid(modelId)) return Promise.resolve([]);
      return withDbErrors(() =>
        prisma.trainingImage.findMany({
          where: { modelId, orgId },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: pageSize(options.limit, 100),
          skip: Math.max(0, options.offset ?? 0),
        }),
      );
    },

    countImages(modelId: string, orgId: string): Promise<number> {
      if (!isUuid(modelId)) return Promise.resolve(0);
      return withDbErrors(() => prisma.trainingImage.count({ where: { modelId, orgId } }));
    },

    /** Queues a training run. */
    createRun(modelId: string, orgId: string, message?: string): Promise<TrainingRunRow> {
      return withDbErrors(() => prisma.trainingRun.create({ data: { modelId, orgId, status: 'QUEUED', message: message ?? null } }));
    },

    /** Moves a run on. @returns null when it is gone. */
    async updateRun(id: string, patch: { status: TrainingRunStatus; message?: string | null }): Promise<TrainingRunRow | null> {
      const rows = await withDbErrors(() => prisma.trainingRun.updateManyAndReturn({ where: { id }, data: patch }));
      return rows[0] ?? null;
    },

    /** The newest run of a model, or null. */
    latestRun(modelId: string, orgId: string): Promise<TrainingRunRow | null> {
      if (!isUuid(modelId)) return Promise.resolve(null);
      return withDbErrors(() => prisma.trainingRun.findFirst({ where: { modelId, orgId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }));
    },
  };
}

export type TrainingRepository = ReturnType<typeof createTrainingRepository>;
