import { pageFailureMessage, type Failure } from '@folio/contracts';
import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { ModerationState, PageStatus } from '../generated/enums.ts';
import { DbError, withDbErrors } from '../db.errors.ts';
import { isUuid, pageSize } from '../db.util.ts';
import { type PredictionInput, type PredictionRow } from './prediction.repository.ts';
import { insertPredictions } from './prediction.insert.ts';
import { visibleFileWhere } from './file.repository.ts';
import type { PageRow, PageSummary } from './page.types.ts';

export type { PageRow, PageSummary } from './page.types.ts';
/** A page with its boxes in reading order. */
export type PageWithPredictions = PageRow & { predictions: PredictionRow[] };

export interface RenderedPage {
  /** Null for a page read from its text layer alone: its image is rendered when someone asks for it. */
  imageKey: string | null;
  /** The text-layer words and verdict (JSON in S3), when the page's text layer was read. */
  textLayerKey?: string | null;
  /** Pixels. */
  width: number;
  height: number;
  dpi: number;
}

export interface PageResultInput {
  /** The canonical OcrPage; stored as JSON. */
  result: object;
  /** Degrees clockwise the page was turned to read it. */
  rotation?: number;
  /** Pixels of the image the boxes refer to. */
  width?: number;
  height?: number;
  predictions: readonly PredictionInput[];
  /** @defaultValue lowest prediction score, null without predictions */
  minConfidence?: number | null;
}

export interface ReviewQueueOptions {
  modelId: string;
  orgId: string;
  /** @defaultValue UNMODERATED */
  state?: ModerationState;
  /** Only pages whose lowest score is at most this. */
  maxConfidence?: number;
  /** @defaultValue 50, at most 1000 */
  limit?: number;
  offset?: number;
}

const PENDING: PageStatus[] = ['QUEUED', 'RENDERED'];

type ScoredText = { confidence?: unknown };
/**
 * Lowest word confidence of a canonical page (a line without words counts as one word), or null
 * when nothing was read: the review queue orders pages without fields by it. Read structurally so
 * this library needs nothing of the engine's types.
 */
export function lowestWordScore(result: object): number | null {
  const blocks = (result as { blocks?: unknown }).blocks;
  if (!Array.isArray(blocks)) return null;
  let lowest: number | null = null;
  for (const block of blocks as Array<{ lines?: Array<ScoredText & { words?: ScoredText[] }> }>) {
    for (const line of block.lines ?? []) {
      const words: ScoredText[] = line.words && line.words.length > 0 ? line.words : [line];
      for (const w of words) if (typeof w.confidence === 'number' && (lowest === null || w.confidence < lowest)) lowest = w.confidence;
    }
  }
  return lowest;
}
const noResult = { result: true } as const;

export function createPageRepository(prisma: PrismaClient) {
  return {
    findById(pageId: string): Promise<PageRow | null> {
      if (!isUuid(pageId)) return Promise.resolve(null);
      return withDbErrors(() => prisma.page.findUnique({ where: { id: pageId } }));
    },

    /** The page if it belongs to `orgId` and its file is neither deleted nor expired; otherwise null. */
    findForOrg(pageId: string, orgId: string): Promise<PageRow | null> {
      if (!isUuid(pageId)) return Promise.resolve(null);
      return withDbErrors(() => prisma.page.findFirst({ where: { id: pageId, orgId, file: visibleFileWhere() } }));
    },

    /** Pages of a file by index, with results. */
    listByFile(fileId: string): Promise<PageRow[]> {
      if (!isUuid(fileId)) return Promise.resolve([]);
      return withDbErrors(() => prisma.page.findMany({ where: { fileId }, orderBy: { index: 'asc' } }));
    },

    /** Failed pages of a file by index, with their reasons (progress views). @defaultValue limit 100 */
    listFailed(fileId: string, limit = 100): Promise<Array<Pick<PageRow, 'id' | 'index' | 'error' | 'failure'>>> {
      if (!isUuid(fileId)) return Promise.resolve([]);
      return withDbErrors(() =>
        prisma.page.findMany({
          where: { fileId, status: 'FAILED' },
          orderBy: { index: 'asc' },
          take: pageSize(limit, 100),
          select: { id: true, index: true, error: true, failure: true },
        }),
      );
    },

    /** Pages of a file by index, with results and boxes (active and replaced; filter on `active`). */
    listByFileWithPredictions(fileId: string): Promise<PageWithPredictions[]> {
      if (!isUuid(fileId)) return Promise.resolve([]);
      return withDbErrors(() =>
        prisma.page.findMany({
          where: { fileId },
          orderBy: { index: 'asc' },
          include: { predictions: { orderBy: [{ order: 'asc' }, { id: 'asc' }] } },
        }),
      );
    },

    /**
     * QUEUED → RENDERED with the image; `attempts` starts again at 0 for the recognize stage.
     * @returns false when the page was not QUEUED (a duplicate job).
     */
    async markRendered(pageId: string, image: RenderedPage): Promise<boolean> {
      const res = await withDbErrors(() =>
        prisma.page.updateMany({
          where: { id: pageId, status: 'QUEUED' },
          data: { status: 'RENDERED', imageKey: image.imageKey, textLayerKey: image.textLayerKey ?? null, width: image.width, height: image.height, dpi: image.dpi, error: null, failure: Prisma.DbNull, attempts: 0 },
        }),
      );
      return res.count === 1;
    },

    /** Records an image rendered after the fact (a text-layer page someone asked to see). */
    async setImageKey(pageId: string, imageKey: string): Promise<void> {
      await withDbErrors(() => prisma.page.updateMany({ where: { id: pageId, imageKey: null }, data: { imageKey } }));
    },

    /**
     * Stores a page's OCR outcome in ONE transaction: replaces the page's model predictions
     * (moderator ones are kept), stores the result, marks it DONE with `minConfidence`.
     * The page row is locked first, so duplicate jobs running at once still leave one set.
     * A page that is gone → DbError `not_found`.
     */
    savePageResult(pageId: string, input: PageResultInput, at: Date = new Date()): Promise<PageSummary> {
      const scores = input.predictions.map((p) => p.score);
      const minConfidence = input.minConfidence !== undefined ? input.minConfidence : scores.length ? Math.min(...scores) : null;
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM pages WHERE id = ${pageId}::uuid FOR UPDATE`;
          if (locked.length === 0) throw new DbError('not_found', `Page ${pageId} does not exist`);
          await tx.prediction.deleteMany({ where: { pageId, source: 'MODEL' } });
          if (input.predictions.length) {
            await insertPredictions(tx, pageId, input.predictions);
          }
          // As one text parameter the result JSON costs ~5 ms; as a Prisma Json value, which Prisma
          // walks field by field, ~30 ms for a dense page (200 KB) on the recognize worker's thread.
          await tx.$executeRaw`UPDATE pages SET result = ${JSON.stringify(input.result)}::jsonb WHERE id = ${pageId}::uuid`;
          return tx.page.update({
            where: { id: pageId },
            data: {
              status: 'DONE',
              minConfidence,
              minWordScore: lowestWordScore(input.result),
              error: null,
              failure: Prisma.DbNull,
              completedAt: at,
              ...(input.rotation !== undefined ? { rotation: input.rotation } : {}),
              ...(input.width !== undefined ? { width: input.width } : {}),
              ...(input.height !== undefined ? { height: input.height } : {}),
            },
            omit: noResult,
          });
        }, { timeout: 30_000 }),
      );
    },

    /**
     * Marks a page FAILED with its reason (stored as data, with its English line in `error`);
     * never overwrites DONE. Text alone is stored as rows older than the catalogue were (it reads
     * back as a `legacy` reason). @returns false when DONE or gone.
     */
    async markFailed(pageId: string, reason: Failure | string, at: Date = new Date()): Promise<boolean> {
      const columns = typeof reason === 'string' ? { error: reason, failure: Prisma.DbNull } : { error: pageFailureMessage(reason), failure: reason };
      const res = await withDbErrors(() =>
        prisma.page.updateMany({ where: { id: pageId, status: { not: 'DONE' } }, data: { status: 'FAILED', ...columns, completedAt: at } }),
      );
      return res.count === 1;
    },

    /**
     * Counts one more processing attempt (`by` -1 gives one back). @returns the new count, or
     * null when the page is gone.
     */
    async incrementAttempts(pageId: string, by = 1): Promise<number | null> {
      const res = await withDbErrors(() =>
        prisma.page.updateManyAndReturn({ where: { id: pageId }, data: { attempts: { increment: by } }, select: { attempts: true } }),
      );
      return res[0]?.attempts ?? null;
    },

    /**
     * Pages still pending whose row has not changed since `olderThan` (the reconciler re-enqueues
     * them), oldest first; pages of deleted files are skipped.
     */
    findStalled(options: { olderThan: Date; statuses?: PageStatus[]; limit?: number }): Promise<PageSummary[]> {
      return withDbErrors(() =>
        prisma.page.findMany({
          where: { status: { in: options.statuses ?? PENDING }, updatedAt: { lt: options.olderThan }, file: visibleFileWhere() },
          orderBy: { updatedAt: 'asc' },
          take: pageSize(options.limit, 100),
          omit: noResult,
        }),
      );
    },

    /** Bumps `updatedAt` (the reconciler, after re-enqueueing, so the grace period starts again). */
    async touch(pageIds: readonly string[]): Promise<number> {
      if (pageIds.length === 0) return 0;
      const res = await withDbErrors(() => prisma.page.updateMany({ where: { id: { in: [...pageIds] } }, data: { updatedAt: new Date() } }));
      return res.count;
    },

    /** Pages QUEUED or RENDERED, for backpressure; of one organization when `orgId` is given. */
    countPending(orgId?: string): Promise<number> {
      return withDbErrors(() => prisma.page.count({ where: { status: { in: PENDING }, ...(orgId ? { orgId } : {}) } }));
    },

    /**
     * Pages of `modelId` (owned by `orgId`) created on days `startDay..endDay` (inclusive, days
     * since epoch), with boxes, oldest first; pages of deleted files excluded (Nanonets day windows).
     */
    listByModelDayWindow(
      modelId: string,
      orgId: string,
      startDay: number,
      endDay: number,
      options: { limit?: number; offset?: number } = {},
    ): Promise<PageWithPredictions[]> {
      if (!isUuid(modelId)) return Promise.resolve([]);
      return withDbErrors(() =>
        prisma.page.findMany({
          where: { modelId, orgId, daySinceEpoch: { gte: startDay, lte: endDay }, file: visibleFileWhere() },
          orderBy: [{ daySinceEpoch: 'asc' }, { createdAt: 'asc' }, { fileId: 'asc' }, { index: 'asc' }],
          include: { predictions: { orderBy: [{ order: 'asc' }, { id: 'asc' }] } },
          ...(options.limit !== undefined ? { take: pageSize(options.limit, 1000, 10_000) } : {}),
          ...(options.offset ? { skip: options.offset } : {}),
        }),
      );
    },

    /** Review queue: DONE pages of a model in one moderation state, least confident first. */
    async listReviewQueue(options: ReviewQueueOptions): Promise<{ items: PageSummary[]; total: number }> {
      if (!isUuid(options.modelId)) return { items: [], total: 0 };
      const where: Prisma.PageWhereInput = {
        modelId: options.modelId,
        orgId: options.orgId,
        status: 'DONE',
        moderationState: options.state ?? 'UNMODERATED',
        file: visibleFileWhere(),
        ...(options.maxConfidence !== undefined ? { minConfidence: { lte: options.maxConfidence } } : {}),
      };
      const [items, total] = await withDbErrors(() =>
        Promise.all([
          prisma.page.findMany({
            where,
            orderBy: [{ minConfidence: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
            take: pageSize(options.limit, 50),
            skip: Math.max(0, options.offset ?? 0),
            omit: noResult,
          }),
          prisma.page.count({ where }),
        ]),
      );
      return { items, total };
    },
  };
}

export type PageRepository = ReturnType<typeof createPageRepository>;
