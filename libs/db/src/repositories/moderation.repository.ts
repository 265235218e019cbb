import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { ModerationState } from '../generated/enums.ts';
import type { ModerationEventModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid } from '../db.util.ts';
import type { PageSummary } from './page.repository.ts';
import { predictionData, type PredictionInput, type PredictionRow } from './prediction.repository.ts';

/** One audited moderation action. */
export type ModerationEventRow = ModerationEventModel;

type Tx = Prisma.TransactionClient;

const STATE_ACTION: Record<ModerationState, string> = { APPROVED: 'approve', REJECTED: 'reject', UNMODERATED: 'reset' };

/** The fields of a box a moderator may change. */
export type PredictionPatch = Partial<Omit<PredictionInput, 'cells'>> & { cells?: readonly unknown[] | null };

function snapshot(p: PredictionRow): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(p)) as Prisma.InputJsonValue;
}

async function lockPageOfOrg(tx: Tx, pageId: string, orgId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM pages WHERE id = ${pageId}::uuid AND org_id = ${orgId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

async function predictionOfOrg(tx: Tx, predictionId: string, orgId: string): Promise<PredictionRow | null> {
  return tx.prediction.findFirst({ where: { id: predictionId, page: { orgId } } });
}

function toInput(p: PredictionRow): PredictionInput {
  return {
    label: p.label,
    type: p.type,
    xmin: p.xmin,
    ymin: p.ymin,
    xmax: p.xmax,
    ymax: p.ymax,
    score: p.score,
    ocrText: p.ocrText,
    cells: Array.isArray(p.cells) ? p.cells : null,
    status: p.status,
    validationStatus: p.validationStatus,
    validationMessage: p.validationMessage,
    labelId: p.labelId,
  };
}

/**
 * Back-office moderation. Every change and its ModerationEvent are written in one transaction;
 * model boxes are never edited in place: a moderator's edit deactivates the model box and adds a
 * MODERATOR box, so `predicted_boxes` (model) and moderated boxes (active) both stay readable.
 * Every method takes `orgId`; another tenant's ids act as missing (null / false).
 */
export function createModerationRepository(prisma: PrismaClient) {
  return {
    /** Approves, rejects or resets a page. @returns the page, or null when not found. */
    setPageState(pageId: string, orgId: string, state: ModerationState, actor: string): Promise<PageSummary | null> {
      if (!isUuid(pageId)) return Promise.resolve(null);
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          if (!(await lockPageOfOrg(tx, pageId, orgId))) return null;
          const before = await tx.page.findUniqueOrThrow({ where: { id: pageId }, select: { moderationState: true } });
          const page = await tx.page.update({ where: { id: pageId }, data: { moderationState: state }, omit: { result: true } });
          await tx.moderationEvent.create({
            data: { orgId, pageId, actor, action: STATE_ACTION[state], before: { moderationState: before.moderationState }, after: { moderationState: state } },
          });
          return page;
        }),
      );
    },

    /** Adds a moderator box at the end of the page's reading order. @returns null when the page is not found. */
    addPrediction(pageId: string, orgId: string, input: PredictionInput, actor: string): Promise<PredictionRow | null> {
      if (!isUuid(pageId)) return Promise.resolve(null);
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          if (!(await lockPageOfOrg(tx, pageId, orgId))) return null;
          const last = await tx.prediction.aggregate({ where: { pageId }, _max: { order: true } });
          const created = await tx.prediction.create({ data: predictionData(pageId, input, (last._max.order ?? -1) + 1, 'MODERATOR') });
          await tx.moderationEvent.create({ data: { orgId, pageId, predictionId: created.id, actor, action: 'create', after: snapshot(created) } });
          return created;
        }),
      );
    },

    /**
     * Edits a box. A model box is deactivated and replaced by a MODERATOR copy carrying the patch
     * (same reading position); a moderator box is edited in place. @returns the active box, or null.
     */
    updatePrediction(predictionId: string, orgId: string, patch: PredictionPatch, actor: string): Promise<PredictionRow | null> {
      if (!isUuid(predictionId)) return Promise.resolve(null);
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const found = await predictionOfOrg(tx, predictionId, orgId);
          if (!found || !found.active) return null;
          await lockPageOfOrg(tx, found.pageId, orgId);
          const merged: PredictionInput = { ...toInput(found), ...patch };
          let after: PredictionRow;
          if (found.source === 'MODEL') {
            await tx.prediction.update({ where: { id: found.id }, data: { active: false } });
            after = await tx.prediction.create({ data: predictionData(found.pageId, merged, found.order, 'MODERATOR') });
          } else {
            const { pageId: _pageId, order: _order, source: _source, ...data } = predictionData(found.pageId, merged, found.order, 'MODERATOR');
            after = await tx.prediction.update({ where: { id: found.id }, data });
          }
          await tx.moderationEvent.create({
            data: { orgId, pageId: found.pageId, predictionId: after.id, actor, action: 'update', before: snapshot(found), after: snapshot(after) },
          });
          return after;
        }),
      );
    },

    /** Removes a box from the moderated set (kept, inactive, for the audit trail). @returns false when not found. */
    removePrediction(predictionId: string, orgId: string, actor: string): Promise<boolean> {
      if (!isUuid(predictionId)) return Promise.resolve(false);
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const found = await predictionOfOrg(tx, predictionId, orgId);
          if (!found || !found.active) return false;
          await tx.prediction.update({ where: { id: found.id }, data: { active: false } });
          await tx.moderationEvent.create({
            data: { orgId, pageId: found.pageId, predictionId: found.id, actor, action: 'delete', before: snapshot(found) },
          });
          return true;
        }),
      );
    },

    /** The audit trail of a page, oldest first. */
    listEvents(pageId: string, orgId: string): Promise<ModerationEventRow[]> {
      if (!isUuid(pageId)) return Promise.resolve([]);
      return withDbErrors(() => prisma.moderationEvent.findMany({ where: { pageId, orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }));
    },
  };
}

export type ModerationRepository = ReturnType<typeof createModerationRepository>;
