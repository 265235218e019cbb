import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { ModerationState } from '../generated/enums.ts';
import type { ModerationEventModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid, pageSize } from '../db.util.ts';
import type { PageSummary } from './page.types.ts';
import { boxProblem } from './prediction.box.ts';
import { predictionData, type PredictionInput, type PredictionRow } from './prediction.repository.ts';

/** One audited moderation action. */
export type ModerationEventRow = ModerationEventModel;

type Tx = Prisma.TransactionClient;

const STATE_ACTION: Record<ModerationState, string> = { APPROVED: 'approve', REJECTED: 'reject', UNMODERATED: 'reset' };

/** The fields of a box a moderator may change. */
export type PredictionPatch = Partial<Omit<PredictionInput, 'cells'>> & { cells?: readonly unknown[] | null };

/**
 * Why a moderation call wrote nothing: the page or box is unknown (or another tenant's, or its
 * file was deleted), the page has no result to moderate yet, the box would not fit the page, or
 * the box was already replaced or removed by an earlier edit.
 */
export type ModerationFailure = 'not_found' | 'not_done' | 'invalid_box' | 'inactive';

/** What a moderation call did; on failure nothing was written. */
export type ModerationOutcome<T> = { ok: true; value: T } | { ok: false; reason: ModerationFailure; message: string };

/** A box addressed through its page, as the review routes name it. */
export interface PredictionRef {
  orgId: string;
  pageId: string;
  predictionId: string;
}

/**
 * Position in the review queue: the keys of the last page seen. Scores are 0..1 and a missing one
 * reads as 2, so every key is a number and pages without fields (or words) sort after the rest.
 */
export interface ReviewCursor {
  /** The document's lowest field score, then its lowest word score. */
  docField: number;
  docWord: number;
  fileId: string;
  /** The page's own lowest field and word scores, then its index in the file. */
  field: number;
  word: number;
  index: number;
}

export interface ReviewListOptions {
  orgId: string;
  /** Only pages of this model. @defaultValue every page of the organization, of any model or none (Files + OCR, NIM, docTR uploads) */
  modelId?: string;
  /** Only pages in this state. @defaultValue every state */
  state?: ModerationState;
  /** Inclusive window of `daySinceEpoch` (UTC days since 1970-01-01). */
  fromDay?: number;
  toDay?: number;
  /** Only pages whose lowest score is at most this (0..1). */
  maxConfidence?: number;
  /** @defaultValue 50, at most 200 */
  limit?: number;
  /** Continue after this page (the previous answer's `next`). */
  after?: ReviewCursor;
}

/**
 * A queue entry: the page without its result JSON, the file name it came from, and its lowest
 * field score (boxes labelled with a category of its model; null when it has none).
 */
export type ReviewPageRow = PageSummary & { file: { filename: string }; fieldScore: number | null };

const fail = <T>(reason: ModerationFailure, message: string): ModerationOutcome<T> => ({ ok: false, reason, message });
const done = <T>(value: T): ModerationOutcome<T> => ({ ok: true, value });

function snapshot(p: PredictionRow): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(p)) as Prisma.InputJsonValue;
}

interface LockedPage {
  status: string;
  width: number | null;
  height: number | null;
}

/**
 * Locks the page for the rest of the transaction (so concurrent edits of one page serialize) and
 * checks it can be moderated. Pages of deleted files are as unknown as another tenant's.
 */
async function lockPage(tx: Tx, pageId: string, orgId: string): Promise<ModerationOutcome<LockedPage>> {
  const rows = await tx.$queryRaw<LockedPage[]>`
    SELECT p.status::text AS status, p.width, p.height
    FROM pages p JOIN files f ON f.id = p.file_id
    WHERE p.id = ${pageId}::uuid AND p.org_id = ${orgId}::uuid AND f.deleted_at IS NULL
    FOR UPDATE OF p`;
  const page = rows[0];
  if (!page) return fail('not_found', `Page ${pageId} not found.`);
  if (page.status !== 'DONE') return fail('not_done', `Page ${pageId} is ${page.status.toLowerCase()}; only recognized pages can be moderated.`);
  return done(page);
}

/** Keeps `Page.minConfidence` the lowest score of the boxes that now stand (the queue sorts on it). */
async function refreshMinConfidence(tx: Tx, pageId: string): Promise<void> {
  const agg = await tx.prediction.aggregate({ where: { pageId, active: true }, _min: { score: true } });
  await tx.page.update({ where: { id: pageId }, data: { minConfidence: agg._min.score }, select: { id: true } });
}

/** The box of that page, read under the page lock. */
async function lockedPrediction(tx: Tx, ref: PredictionRef): Promise<ModerationOutcome<PredictionRow>> {
  const found = await tx.prediction.findFirst({ where: { id: ref.predictionId, pageId: ref.pageId } });
  if (!found) return fail('not_found', `Prediction ${ref.predictionId} not found on page ${ref.pageId}.`);
  if (!found.active) {
    return fail('inactive', `Prediction ${ref.predictionId} was already replaced or removed by an earlier edit; reload the page.`);
  }
  return done(found);
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

const sameInput = (a: PredictionInput, b: PredictionInput) => JSON.stringify(a) === JSON.stringify(b);

/** Missing scores read as this (scores are 0..1), so they sort last. */
const NO_SCORE = 2;

/** The queue's filters as SQL conditions on `pages p`. */
function queueConditions(o: ReviewListOptions): Prisma.Sql {
  const conds: Prisma.Sql[] = [Prisma.sql`p.org_id = ${o.orgId}::uuid`, Prisma.sql`p.status = 'DONE'`, Prisma.sql`f.deleted_at IS NULL`];
  if (o.modelId !== undefined) conds.push(Prisma.sql`p.model_id = ${o.modelId}::uuid`);
  if (o.state !== undefined) conds.push(Prisma.sql`p.moderation_state = ${o.state}::moderation_state`);
  if (o.fromDay !== undefined) conds.push(Prisma.sql`p.day_since_epoch >= ${o.fromDay}`);
  if (o.toDay !== undefined) conds.push(Prisma.sql`p.day_since_epoch <= ${o.toDay}`);
  if (o.maxConfidence !== undefined) conds.push(Prisma.sql`p.min_confidence <= ${o.maxConfidence}`);
  return Prisma.join(conds, ' AND ');
}

/**
 * The queue's pages with their sort keys: a page's field score is the lowest score of its standing
 * boxes labelled with a category of its model (full-text `text` lines are not fields); a
 * document's keys are the lowest of its queued pages', so its pages stay together.
 */
function queueKeys(o: ReviewListOptions): Prisma.Sql {
  return Prisma.sql`
    WITH q AS (
      SELECT p.id, p.file_id, p.index,
        COALESCE((SELECT min(pr.score) FROM predictions pr WHERE pr.page_id = p.id AND pr.active AND pr.label = ANY(m.labels)), ${NO_SCORE}) AS field,
        COALESCE(p.min_word_score, ${NO_SCORE}) AS word
      FROM pages p JOIN files f ON f.id = p.file_id LEFT JOIN models m ON m.id = p.model_id
      WHERE ${queueConditions(o)}
    )
    SELECT q.*, min(q.field) OVER (PARTITION BY q.file_id) AS doc_field, min(q.word) OVER (PARTITION BY q.file_id) AS doc_word FROM q`;
}

interface QueueKeyRow {
  id: string;
  file_id: string;
  index: number;
  field: number;
  word: number;
  doc_field: number;
  doc_word: number;
}

const scoreOrNull = (v: number) => (v >= NO_SCORE ? null : v);

/**
 * Back-office moderation. Every change and its ModerationEvent are written in one transaction
 * under a lock of the page row; model boxes are never edited in place: an edit deactivates the
 * model box and adds a MODERATOR box at the same reading position, so the model's answer
 * (inactive rows, `predicted_boxes`) and the moderated one (active rows) both stay readable.
 * `Page.result` (the engine's canonical page) is never rewritten: the active boxes override it.
 * Every method takes the organization; another tenant's ids act as missing.
 */
export function createModerationRepository(prisma: PrismaClient) {
  return {
    /**
     * The review queue: recognized pages of every dialect, grouped by document (file); documents
     * and their pages lowest field score first, then lowest word score (pages without fields),
     * then file id and page index.
     */
    async listPages(options: ReviewListOptions): Promise<{ items: ReviewPageRow[]; next: ReviewCursor | null; total: number }> {
      if (!isUuid(options.orgId)) return { items: [], next: null, total: 0 };
      if (options.modelId !== undefined && !isUuid(options.modelId)) return { items: [], next: null, total: 0 };
      if (options.after !== undefined && !isUuid(options.after.fileId)) return { items: [], next: null, total: 0 };
      const take = pageSize(options.limit, 50, 200);
      const a = options.after;
      const after = a
        ? Prisma.sql`WHERE (k.doc_field, k.doc_word, k.file_id, k.field, k.word, k.index) > (${a.docField}::float8, ${a.docWord}::float8, ${a.fileId}::uuid, ${a.field}::float8, ${a.word}::float8, ${a.index}::int)`
        : Prisma.empty;
      const [keys, counted] = await withDbErrors(() =>
        Promise.all([
          prisma.$queryRaw<QueueKeyRow[]>`
            SELECT k.id::text AS id, k.file_id::text AS file_id, k.index, k.field, k.word, k.doc_field, k.doc_word
            FROM (${queueKeys(options)}) k ${after}
            ORDER BY k.doc_field, k.doc_word, k.file_id, k.field, k.word, k.index
            LIMIT ${take + 1}`,
          prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM pages p JOIN files f ON f.id = p.file_id WHERE ${queueConditions(options)}`,
        ]),
      );
      const slice = keys.slice(0, take);
      const rows = await withDbErrors(() =>
        prisma.page.findMany({ where: { id: { in: slice.map((k) => k.id) } }, omit: { result: true }, include: { file: { select: { filename: true } } } }),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items = slice.flatMap((k) => {
        const row = byId.get(k.id);
        return row ? [{ ...row, fieldScore: scoreOrNull(k.field) }] : [];
      });
      const last = slice.at(-1);
      const next =
        keys.length > take && last
          ? { docField: last.doc_field, docWord: last.doc_word, fileId: last.file_id, field: last.field, word: last.word, index: last.index }
          : null;
      return { items, next, total: Number(counted[0]?.n ?? 0) };
    },

    /** The lowest score of a page's standing boxes labelled with one of `categories` (its fields), or null. */
    async fieldScore(pageId: string, categories: readonly string[]): Promise<number | null> {
      if (!isUuid(pageId) || categories.length === 0) return null;
      const agg = await withDbErrors(() => prisma.prediction.aggregate({ where: { pageId, active: true, label: { in: [...categories] } }, _min: { score: true } }));
      return agg._min.score;
    },

    /**
     * Approves, rejects or resets (back to UNMODERATED) a recognized page. Setting the state it
     * already has changes nothing and records no event (`changed: false`).
     */
    setPageState(pageId: string, orgId: string, state: ModerationState, actor: string): Promise<ModerationOutcome<{ page: PageSummary; changed: boolean }>> {
      if (!isUuid(pageId)) return Promise.resolve(fail('not_found', `Page ${pageId} not found.`));
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await lockPage(tx, pageId, orgId);
          if (!locked.ok) return locked;
          const before = await tx.page.findUniqueOrThrow({ where: { id: pageId }, omit: { result: true } });
          if (before.moderationState === state) return done({ page: before, changed: false });
          const page = await tx.page.update({ where: { id: pageId }, data: { moderationState: state }, omit: { result: true } });
          await tx.moderationEvent.create({
            data: { orgId, pageId, actor, action: STATE_ACTION[state], before: { moderationState: before.moderationState }, after: { moderationState: state } },
          });
          return done({ page, changed: true });
        }),
      );
    },

    /** Adds a moderator box at the end of the page's reading order. */
    addPrediction(pageId: string, orgId: string, input: PredictionInput, actor: string): Promise<ModerationOutcome<PredictionRow>> {
      if (!isUuid(pageId)) return Promise.resolve(fail('not_found', `Page ${pageId} not found.`));
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await lockPage(tx, pageId, orgId);
          if (!locked.ok) return locked;
          const problem = boxProblem(input, locked.value);
          if (problem) return fail<PredictionRow>('invalid_box', problem);
          const last = await tx.prediction.aggregate({ where: { pageId }, _max: { order: true } });
          const created = await tx.prediction.create({ data: predictionData(pageId, input, (last._max.order ?? -1) + 1, 'MODERATOR') });
          await tx.moderationEvent.create({ data: { orgId, pageId, predictionId: created.id, actor, action: 'create', after: snapshot(created) } });
          await refreshMinConfidence(tx, pageId);
          return done(created);
        }),
      );
    },

    /**
     * Edits a box. A model box is deactivated and replaced by a MODERATOR copy carrying the patch
     * (same reading position, new id); a moderator box is edited in place. A patch that changes
     * nothing writes nothing. @returns the box that now stands.
     */
    updatePrediction(ref: PredictionRef, patch: PredictionPatch, actor: string): Promise<ModerationOutcome<PredictionRow>> {
      if (!isUuid(ref.pageId) || !isUuid(ref.predictionId)) return Promise.resolve(fail('not_found', `Prediction ${ref.predictionId} not found.`));
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await lockPage(tx, ref.pageId, ref.orgId);
          if (!locked.ok) return locked;
          const found = await lockedPrediction(tx, ref);
          if (!found.ok) return found;
          const current = found.value;
          const merged: PredictionInput = { ...toInput(current), ...patch };
          const problem = boxProblem(merged, locked.value);
          if (problem) return fail<PredictionRow>('invalid_box', problem);
          if (sameInput(merged, toInput(current))) return done(current);
          let after: PredictionRow;
          if (current.source === 'MODEL') {
            await tx.prediction.update({ where: { id: current.id }, data: { active: false } });
            after = await tx.prediction.create({ data: predictionData(current.pageId, merged, current.order, 'MODERATOR') });
          } else {
            const { pageId: _pageId, order: _order, source: _source, ...data } = predictionData(current.pageId, merged, current.order, 'MODERATOR');
            after = await tx.prediction.update({ where: { id: current.id }, data });
          }
          await tx.moderationEvent.create({
            data: { orgId: ref.orgId, pageId: current.pageId, predictionId: after.id, actor, action: 'update', before: snapshot(current), after: snapshot(after) },
          });
          await refreshMinConfidence(tx, current.pageId);
          return done(after);
        }),
      );
    },

    /** Removes a box from the moderated set (kept, inactive, for `predicted_boxes` and the audit trail). @returns the removed box. */
    removePrediction(ref: PredictionRef, actor: string): Promise<ModerationOutcome<PredictionRow>> {
      if (!isUuid(ref.pageId) || !isUuid(ref.predictionId)) return Promise.resolve(fail('not_found', `Prediction ${ref.predictionId} not found.`));
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await lockPage(tx, ref.pageId, ref.orgId);
          if (!locked.ok) return locked;
          const found = await lockedPrediction(tx, ref);
          if (!found.ok) return found;
          const removed = await tx.prediction.update({ where: { id: found.value.id }, data: { active: false } });
          await tx.moderationEvent.create({
            data: { orgId: ref.orgId, pageId: ref.pageId, predictionId: removed.id, actor, action: 'delete', before: snapshot(found.value) },
          });
          await refreshMinConfidence(tx, ref.pageId);
          return done(removed);
        }),
      );
    },

    /**
     * Undoes every box edit of a page: moderator boxes leave the moderated set and the model's
     * boxes stand again, in one audited `revert` event listing both. The moderation state is
     * left as it is (reset is its own action). Nothing to undo changes and records nothing.
     */
    revertEdits(pageId: string, orgId: string, actor: string): Promise<ModerationOutcome<{ removed: number; restored: number }>> {
      if (!isUuid(pageId)) return Promise.resolve(fail('not_found', `Page ${pageId} not found.`));
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await lockPage(tx, pageId, orgId);
          if (!locked.ok) return locked;
          const select = { id: true } as const;
          const removed = await tx.prediction.findMany({ where: { pageId, source: 'MODERATOR', active: true }, select, orderBy: { order: 'asc' } });
          const restored = await tx.prediction.findMany({ where: { pageId, source: 'MODEL', active: false }, select, orderBy: { order: 'asc' } });
          if (removed.length === 0 && restored.length === 0) return done({ removed: 0, restored: 0 });
          const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
          await tx.prediction.updateMany({ where: { id: { in: ids(removed) } }, data: { active: false } });
          await tx.prediction.updateMany({ where: { id: { in: ids(restored) } }, data: { active: true } });
          await tx.moderationEvent.create({
            data: { orgId, pageId, actor, action: 'revert', before: { moderatorBoxes: ids(removed) }, after: { modelBoxes: ids(restored) } },
          });
          await refreshMinConfidence(tx, pageId);
          return done({ removed: removed.length, restored: restored.length });
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
