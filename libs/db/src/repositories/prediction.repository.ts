import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { PredictionModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';

/** One Nanonets box on a page. `cells` holds Nanonets TableCell[] for tables. */
export type PredictionRow = PredictionModel;

/** A box as the OCR engine (or a moderator) produces it. Coordinates are pixels of the page image. */
export interface PredictionInput {
  label: string;
  /** `field`, `table`, `line` or `word`. @defaultValue 'field' */
  type?: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** 0..1. */
  score: number;
  ocrText?: string;
  cells?: readonly unknown[] | null;
  status?: string | null;
  validationStatus?: string | null;
  validationMessage?: string | null;
  labelId?: string | null;
}

/** Prisma create data for a prediction; `order` is its reading-order position on the page. */
export function predictionData(pageId: string, p: PredictionInput, order: number, source: 'MODEL' | 'MODERATOR' = 'MODEL') {
  return {
    pageId,
    label: p.label,
    type: p.type ?? 'field',
    xmin: Math.round(p.xmin),
    ymin: Math.round(p.ymin),
    xmax: Math.round(p.xmax),
    ymax: Math.round(p.ymax),
    score: p.score,
    ocrText: p.ocrText ?? '',
    cells: p.cells == null ? Prisma.DbNull : (p.cells as Prisma.InputJsonValue),
    source,
    order,
    status: p.status ?? null,
    validationStatus: p.validationStatus ?? null,
    validationMessage: p.validationMessage ?? null,
    labelId: p.labelId ?? null,
  } satisfies Prisma.PredictionCreateManyInput;
}

export interface ListPredictionsOptions {
  /** Only boxes no moderator removed or replaced (the final, moderated set). @defaultValue false */
  activeOnly?: boolean;
}

export function createPredictionRepository(prisma: PrismaClient) {
  return {
    /** Boxes of one page in reading order. */
    listByPage(pageId: string, options: ListPredictionsOptions = {}): Promise<PredictionRow[]> {
      return withDbErrors(() =>
        prisma.prediction.findMany({
          where: { pageId, ...(options.activeOnly ? { active: true } : {}) },
          orderBy: [{ order: 'asc' }, { id: 'asc' }],
        }),
      );
    },

    /** Boxes of several pages, grouped by page id (every requested id present, maybe empty). */
    async listByPages(pageIds: readonly string[], options: ListPredictionsOptions = {}): Promise<Map<string, PredictionRow[]>> {
      const byPage = new Map<string, PredictionRow[]>(pageIds.map((id) => [id, []]));
      if (pageIds.length === 0) return byPage;
      const rows = await withDbErrors(() =>
        prisma.prediction.findMany({
          where: { pageId: { in: [...pageIds] }, ...(options.activeOnly ? { active: true } : {}) },
          orderBy: [{ pageId: 'asc' }, { order: 'asc' }, { id: 'asc' }],
        }),
      );
      for (const row of rows) byPage.get(row.pageId)?.push(row);
      return byPage;
    },

    findById(id: string): Promise<PredictionRow | null> {
      return withDbErrors(() => prisma.prediction.findUnique({ where: { id } }));
    },
  };
}

export type PredictionRepository = ReturnType<typeof createPredictionRepository>;
