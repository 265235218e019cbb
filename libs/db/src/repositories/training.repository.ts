import { failureMessage, type Failure } from '@folio/contracts';
import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { TrainingRunStatus } from '../generated/enums.ts';
import type { ModelVersionModel, TrainingImageModel, TrainingRunModel } from '../generated/models.ts';
import { isDbError, withDbErrors } from '../db.errors.ts';
import { isUuid, pageSize } from '../db.util.ts';

/** A training image and its annotations (Nanonets UploadFile `data`). */
export type TrainingImageRow = TrainingImageModel;
/** One Train request. */
export type TrainingRunRow = TrainingRunModel;
/** A fitted extractor of a model. */
export type ModelVersionRow = ModelVersionModel;

/** A moderated (approved) page of a model: its OCR result and the boxes that stand. */
export interface ModeratedPageRow {
  id: string;
  result: unknown;
  width: number | null;
  height: number | null;
  boxes: Array<{ label: string; ocrText: string; xmin: number; ymin: number; xmax: number; ymax: number }>;
}

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

    /**
     * Queues a run unless the model has one queued or running, which is then the answer: two Trains
     * racing each other both get the one run (the partial unique index on active runs refuses the second insert).
     */
    async createRunUnlessActive(modelId: string, orgId: string, message?: string): Promise<{ run: TrainingRunRow; created: boolean }> {
      for (let attempt = 0; ; attempt++) {
        const active = await this.activeRun(modelId, orgId);
        if (active) return { run: active, created: false };
        try {
          return { run: await this.createRun(modelId, orgId, message), created: true };
        } catch (err) {
          // Lost the race: the winner's run is active now (unless it finished already: look again).
          if (!isDbError(err, 'unique_violation') || attempt >= 3) throw err;
        }
      }
    },

    /** Moves a run on. @returns null when it is gone. */
    async updateRun(id: string, patch: { status: TrainingRunStatus; message?: string | null }): Promise<TrainingRunRow | null> {
      const rows = await withDbErrors(() => prisma.trainingRun.updateManyAndReturn({ where: { id }, data: patch }));
      return rows[0] ?? null;
    },

    /** A run by id. */
    findRun(id: string): Promise<TrainingRunRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.trainingRun.findUnique({ where: { id } }));
    },

    /** The model's run that is queued or running, if any (a second Train answers it). */
    activeRun(modelId: string, orgId: string): Promise<TrainingRunRow | null> {
      if (!isUuid(modelId)) return Promise.resolve(null);
      return withDbErrors(() =>
        prisma.trainingRun.findFirst({ where: { modelId, orgId, status: { in: ['QUEUED', 'RUNNING'] } }, orderBy: [{ createdAt: 'desc' }] }),
      );
    },

    /** Runs queued or running and untouched since `olderThan` (the reconciler checks their jobs). */
    findStalledRuns(options: { olderThan: Date; limit: number }): Promise<TrainingRunRow[]> {
      return withDbErrors(() =>
        prisma.trainingRun.findMany({ where: { status: { in: ['QUEUED', 'RUNNING'] }, updatedAt: { lt: options.olderThan } }, orderBy: { updatedAt: 'asc' }, take: options.limit }),
      );
    },

    /** Runs of a model, newest first. */
    listRuns(modelId: string, orgId: string, limit = 20): Promise<TrainingRunRow[]> {
      if (!isUuid(modelId)) return Promise.resolve([]);
      return withDbErrors(() => prisma.trainingRun.findMany({ where: { modelId, orgId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit }));
    },

    /** Marks a queued (or interrupted running) run RUNNING. @returns false when it is finished or gone. */
    async startRun(id: string): Promise<boolean> {
      const res = await withDbErrors(() =>
        prisma.trainingRun.updateMany({ where: { id, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'RUNNING', startedAt: new Date() } }),
      );
      return res.count === 1;
    },

    /** Fails a run with its typed reason (`message` is its English sentence); the model keeps its serving version. */
    async failRun(id: string, failure: Failure): Promise<void> {
      await withDbErrors(() =>
        prisma.trainingRun.updateMany({
          where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
          data: { status: 'FAILED', failure: failure as Prisma.InputJsonValue, message: failureMessage(failure), finishedAt: new Date() },
        }),
      );
    },

    /** Records the image's content digest (keys its OCR cache). */
    async setImageDigest(id: string, sha256: string): Promise<void> {
      await withDbErrors(() => prisma.trainingImage.updateMany({ where: { id }, data: { sha256 } }));
    },

    /**
     * Ends a run that succeeded, in one transaction: its version recorded (once per run: a retry
     * finds it), the model switched to it, the run SUCCEEDED with its data and metrics.
     */
    succeedRun(
      run: { id: string; modelId: string },
      version: { storageKey: string; categories: string[]; metrics: Prisma.InputJsonValue },
      report: { data: Prisma.InputJsonValue; message: string },
    ): Promise<ModelVersionRow> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const existing = await tx.modelVersion.findUnique({ where: { runId: run.id } });
          const last = await tx.modelVersion.findFirst({ where: { modelId: run.modelId }, orderBy: { number: 'desc' }, select: { number: true } });
          const row =
            existing ??
            (await tx.modelVersion.create({
              data: { modelId: run.modelId, runId: run.id, number: (last?.number ?? 0) + 1, storageKey: version.storageKey, categories: version.categories, metrics: version.metrics },
            }));
          await tx.model.update({ where: { id: run.modelId }, data: { servingVersionId: row.id } });
          await tx.trainingRun.update({
            where: { id: run.id },
            data: { status: 'SUCCEEDED', metrics: version.metrics, data: report.data, message: report.message, finishedAt: new Date(), failure: Prisma.DbNull },
          });
          return row;
        }),
      );
    },

    /** A version by id. */
    findVersion(id: string): Promise<ModelVersionRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.modelVersion.findUnique({ where: { id } }));
    },

    /** Approved pages predicted by the model, with their standing boxes (moderation is training data). */
    async moderatedPages(modelId: string, orgId: string, limit = 2000): Promise<ModeratedPageRow[]> {
      if (!isUuid(modelId)) return [];
      const pages = await withDbErrors(() =>
        prisma.page.findMany({
          where: { modelId, orgId, moderationState: 'APPROVED', status: 'DONE' },
          select: { id: true, result: true, width: true, height: true, predictions: { where: { active: true }, select: { label: true, ocrText: true, xmin: true, ymin: true, xmax: true, ymax: true } } },
          orderBy: { createdAt: 'asc' },
          take: limit,
        }),
      );
      return pages.map((p) => ({ id: p.id, result: p.result, width: p.width, height: p.height, boxes: p.predictions }));
    },

    /** The newest run of a model, or null. */
    latestRun(modelId: string, orgId: string): Promise<TrainingRunRow | null> {
      if (!isUuid(modelId)) return Promise.resolve(null);
      return withDbErrors(() => prisma.trainingRun.findFirst({ where: { modelId, orgId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }));
    },
  };
}

export type TrainingRepository = ReturnType<typeof createTrainingRepository>;
