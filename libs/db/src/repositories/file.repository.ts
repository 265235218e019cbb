import { failureMessage, pageFailureMessage, type Failure } from '@folio/contracts';
import { Prisma, type PrismaClient } from '../generated/client.ts';
import type { FileSource, FileStatus, ProcessingType } from '../generated/enums.ts';
import type { FileModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { daySinceEpoch, isUuid, pageSize } from '../db.util.ts';
import type { PageSummary } from './page.types.ts';

/** One uploaded document (id = request_file_id = Files API id). */
export type FileRow = FileModel;

export interface CreateFileInput {
  /** Given when the caller needs the id before the row exists (it names the S3 key). */
  id?: string;
  orgId: string;
  modelId?: string | null;
  /** @defaultValue UPLOAD */
  source?: FileSource;
  sourceUrl?: string | null;
  filename: string;
  mime?: string | null;
  /** Bytes of the original. */
  bytes?: number | null;
  sha256?: string | null;
  storageKey?: string | null;
  /** @defaultValue 'ocr' */
  purpose?: string;
  /** @defaultValue ASYNC */
  processingType?: ProcessingType;
  /** BullMQ priority. @defaultValue 0 */
  priority?: number;
  requestMetadata?: string | null;
  /** OCR every page even where the PDF's text layer can be trusted. @defaultValue false */
  forceOcr?: boolean;
  expiresAt?: Date | null;
  /** Zero-based inclusive page ranges to process (`pages` of a Files + OCR request); omitted: every page. */
  pageSelection?: Array<[number, number]>;
}

/** What is learnt about the original once it is stored and sniffed. */
export interface FileUpdate {
  filename?: string;
  /** Echoed back to the client; multipart fields may arrive after the file they describe. */
  requestMetadata?: string | null;
  mime?: string | null;
  bytes?: number | null;
  sha256?: string | null;
  storageKey?: string | null;
  expiresAt?: Date | null;
}

export interface ListFilesOptions {
  /** @defaultValue 20, at most 1000 */
  limit?: number;
  /** Rows to skip (offset pagination); ignored when `cursor` is set. */
  offset?: number;
  /** Id of the last file of the previous page (cursor pagination, newest first). */
  cursor?: string;
  purpose?: string;
  modelId?: string;
}

export interface FileList {
  items: FileRow[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Files matching the filter, all pages. */
  total: number;
}

/** Page counts of one file. `pending` = QUEUED or RENDERED. */
export interface FileProgress {
  total: number;
  done: number;
  failed: number;
  pending: number;
}

export interface FinalizeResult extends FileProgress {
  status: FileStatus;
  /** False when pages were still pending (and `force` was not set): nothing changed. */
  finalized: boolean;
  /** True when this call moved the file out of QUEUED/PROCESSING (fire completion events once). */
  firstCompletion: boolean;
}

const TERMINAL: readonly FileStatus[] = ['COMPLETE', 'PARTIAL', 'FAILED'];
/** Reason stored on pages that `finalize({ force: true })` gives up on. */
const NOT_PROCESSED: Failure = { code: 'not_processed' };
/** Its English line, as the page's `error` column reads. */
export const PAGE_NOT_PROCESSED = pageFailureMessage(NOT_PROCESSED);

/** A failure's columns on the File row: the data, and its code and sentence for people reading the table. */
function fileFailureColumns(failure: Failure) {
  return { errorCode: failure.code, errorMessage: failureMessage(failure), failure };
}

type Tx = Prisma.TransactionClient;

/**
 * A file its tenant may still see at `now`: not deleted and not past its expiry. The reaper
 * removes expired files some time after they expire; until then they are already gone for clients.
 */
export function visibleFileWhere(now: Date = new Date()): Prisma.FileWhereInput {
  return { deletedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

async function countPages(tx: Tx | PrismaClient, fileId: string): Promise<FileProgress> {
  const groups = await tx.page.groupBy({ by: ['status'], where: { fileId }, _count: { _all: true } });
  const n = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  const total = groups.reduce((a, g) => a + g._count._all, 0);
  const done = n('DONE');
  const failed = n('FAILED');
  return { total, done, failed, pending: total - done - failed };
}

export function createFileRepository(prisma: PrismaClient) {
  return {
    /** Creates a file in QUEUED. An existing id → DbError `unique_violation`. */
    create(input: CreateFileInput): Promise<FileRow> {
      const { id, ...rest } = input;
      return withDbErrors(() => prisma.file.create({ data: { ...(id ? { id } : {}), ...rest, status: 'QUEUED' } }));
    },

    /** The file by id whatever its tenant or deletion (workers). */
    findById(id: string): Promise<FileRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.file.findUnique({ where: { id } }));
    },

    /** The file if it belongs to `orgId` and is neither deleted nor expired; otherwise null. */
    findForOrg(id: string, orgId: string): Promise<FileRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.file.findFirst({ where: { id, orgId, ...visibleFileWhere() } }));
    },

    /** Files of `orgId`, newest first, deleted and expired ones excluded. */
    async listForOrg(orgId: string, options: ListFilesOptions = {}): Promise<FileList> {
      const take = pageSize(options.limit);
      const where: Prisma.FileWhereInput = {
        orgId,
        ...visibleFileWhere(),
        ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
        ...(options.modelId !== undefined ? { modelId: options.modelId } : {}),
      };
      const cursor = options.cursor !== undefined && isUuid(options.cursor) ? options.cursor : undefined;
      const [rows, total] = await withDbErrors(() =>
        Promise.all([
          prisma.file.findMany({
            where,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: take + 1,
            ...(cursor ? { cursor: { id: cursor }, skip: 1 } : { skip: Math.max(0, options.offset ?? 0) }),
          }),
          prisma.file.count({ where }),
        ]),
      );
      const items = rows.slice(0, take);
      return { items, nextCursor: rows.length > take ? (items.at(-1)?.id ?? null) : null, total };
    },

    /** Records what was learnt about the original. @returns null when the file is gone. */
    async update(id: string, patch: FileUpdate): Promise<FileRow | null> {
      const res = await withDbErrors(() => prisma.file.updateMany({ where: { id }, data: patch }));
      return res.count === 1 ? withDbErrors(() => prisma.file.findUnique({ where: { id } })) : null;
    },

    /**
     * Sets the page count and creates pages 0..count-1 (QUEUED) in one transaction.
     * Idempotent: pages that exist keep their ids, so a retried ingest enqueues the same jobs.
     * `orgId`/`modelId` default to the file's. @returns the file's pages by index.
     */
    createPages(
      fileId: string,
      count: number,
      options: { orgId?: string; modelId?: string | null; daySinceEpoch?: number; indexes?: readonly number[] } = {},
    ): Promise<PageSummary[]> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const file = await tx.file.update({ where: { id: fileId }, data: { pageCount: count } });
          const day = options.daySinceEpoch ?? daySinceEpoch(file.createdAt);
          await tx.page.createMany({
            // Pages outside `indexes` (a request's page selection) get no row: nothing renders,
            // recognises or counts them; `pageCount` stays the document's.
            data: (options.indexes ?? Array.from({ length: count }, (_, i) => i)).map((index) => ({
              fileId,
              index,
              orgId: options.orgId ?? file.orgId,
              modelId: options.modelId === undefined ? file.modelId : options.modelId,
              daySinceEpoch: day,
            })),
            skipDuplicates: true,
          });
          return tx.page.findMany({ where: { fileId }, orderBy: { index: 'asc' }, omit: { result: true } });
        }),
      );
    },

    /** QUEUED → PROCESSING. @returns false when the file was not QUEUED. */
    async markProcessing(id: string): Promise<boolean> {
      const res = await withDbErrors(() => prisma.file.updateMany({ where: { id, status: 'QUEUED' }, data: { status: 'PROCESSING' } }));
      return res.count === 1;
    },

    /**
     * Sets the file's final status from its pages, in one transaction holding the file's row lock:
     * all DONE → COMPLETE, some DONE → PARTIAL, none DONE (or no pages) → FAILED; sets
     * `completedAt` once. While pages are pending nothing changes (`finalized: false`) unless
     * `force`, which first marks pending pages FAILED. Re-finalizing recomputes (idempotent).
     * @returns null when the file does not exist.
     */
    finalize(id: string, options: { force?: boolean; now?: Date } = {}): Promise<FinalizeResult | null> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await tx.$queryRaw<{ status: FileStatus; completed_at: Date | null; error_code: string | null }[]>`
            SELECT status::text AS status, completed_at, error_code FROM files WHERE id = ${id}::uuid FOR UPDATE`;
          const prev = locked[0];
          if (!prev) return null;
          if (options.force) {
            await tx.page.updateMany({
              where: { fileId: id, status: { in: ['QUEUED', 'RENDERED'] } },
              data: { status: 'FAILED', error: PAGE_NOT_PROCESSED, failure: NOT_PROCESSED },
            });
          }
          const counts = await countPages(tx, id);
          const firstCompletion = !TERMINAL.includes(prev.status);
          if (counts.pending > 0) return { ...counts, status: prev.status, finalized: false, firstCompletion: false };
          const status: FileStatus = counts.total > 0 && counts.done === counts.total ? 'COMPLETE' : counts.done > 0 ? 'PARTIAL' : 'FAILED';
          const pageError = counts.failed > 0 && prev.error_code === null;
          await tx.file.update({
            where: { id },
            data: {
              status,
              completedAt: prev.completed_at ?? options.now ?? new Date(),
              ...(pageError ? fileFailureColumns({ code: 'pages_failed', failed: counts.failed, total: counts.total }) : {}),
              ...(counts.total === 0 && prev.error_code === null ? fileFailureColumns({ code: 'no_pages' }) : {}),
            },
          });
          return { ...counts, status, finalized: true, firstCompletion };
        }),
      );
    },

    /**
     * Starts a finished file over with OCR forced (`force_ocr` on a file read from its text layer),
     * in one transaction: the file PROCESSING with `forceOcr` set and its failure cleared, every
     * page QUEUED with its text-layer key cleared (results and predictions stay until recognize
     * replaces them). @returns the pages to render again, or null when the file is gone, not
     * finished, refused as a whole (no pages) or already forced.
     */
    restartWithForcedOcr(id: string): Promise<{ file: FileRow; pageIds: string[] } | null> {
      return withDbErrors(() =>
        prisma.$transaction(async (tx) => {
          const locked = await tx.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM files
            WHERE id = ${id}::uuid AND force_ocr = false AND status IN ('COMPLETE', 'PARTIAL') AND deleted_at IS NULL FOR UPDATE`;
          if (locked.length === 0) return null;
          const file = await tx.file.update({
            where: { id },
            data: { forceOcr: true, status: 'PROCESSING', completedAt: null, errorCode: null, errorMessage: null, failure: Prisma.DbNull },
          });
          await tx.page.updateMany({
            where: { fileId: id },
            data: { status: 'QUEUED', textLayerKey: null, attempts: 0, error: null, failure: Prisma.DbNull, completedAt: null },
          });
          const pages = await tx.page.findMany({ where: { fileId: id }, select: { id: true }, orderBy: { index: 'asc' } });
          return { file, pageIds: pages.map((p) => p.id) };
        }),
      );
    },

    /**
     * Fails the whole file (e.g. unreadable upload) with its reason as data. A code string with a
     * message is stored as text only, as rows older than the catalogue were (it reads back as a
     * `legacy` reason). Completed files are left alone. @returns false then.
     */
    async markFailed(id: string, reason: Failure | string, message = '', at: Date = new Date()): Promise<boolean> {
      const columns = typeof reason === 'string' ? { errorCode: reason, errorMessage: message, failure: Prisma.DbNull } : fileFailureColumns(reason);
      const res = await withDbErrors(() =>
        prisma.file.updateMany({
          where: { id, status: { in: ['QUEUED', 'PROCESSING'] } },
          data: { status: 'FAILED', ...columns, completedAt: at },
        }),
      );
      return res.count === 1;
    },

    /**
     * Files still QUEUED or PROCESSING (or `statuses`) whose row has not changed since `olderThan`,
     * oldest first, deleted ones skipped: the reconciler re-enqueues their ingest or finalize.
     */
    findStalled(options: { olderThan: Date; statuses?: FileStatus[]; limit?: number }): Promise<FileRow[]> {
      return withDbErrors(() =>
        prisma.file.findMany({
          where: { status: { in: options.statuses ?? ['QUEUED', 'PROCESSING'] }, updatedAt: { lt: options.olderThan }, deletedAt: null },
          orderBy: { updatedAt: 'asc' },
          take: pageSize(options.limit, 100),
        }),
      );
    },

    /** Bumps `updatedAt` (the reconciler, after re-enqueueing). */
    async touch(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await withDbErrors(() => prisma.file.updateMany({ where: { id: { in: [...ids] } }, data: { updatedAt: new Date() } }));
      return res.count;
    },

    /** Hides the file from its tenant now; the reaper removes it and its objects later. */
    async softDelete(id: string, orgId: string, at: Date = new Date()): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await withDbErrors(() => prisma.file.updateMany({ where: { id, orgId, deletedAt: null }, data: { deletedAt: at } }));
      return res.count === 1;
    },

    /** Page counts by state. */
    progress(id: string): Promise<FileProgress> {
      return withDbErrors(() => countPages(prisma, id));
    },

    /**
     * Files the reaper should remove: expired at `now`, and (unless `includeDeleted` is false)
     * soft-deleted ones. Oldest first.
     * Expiry is set at creation (`expiresAt`, from the organization's retention); see
     * `organizations.setRetention` for changing it.
     */
    findExpired(now: Date, options: { limit?: number; includeDeleted?: boolean } = {}): Promise<FileRow[]> {
      const expired: Prisma.FileWhereInput = { expiresAt: { lte: now } };
      return withDbErrors(() =>
        prisma.file.findMany({
          where: options.includeDeleted === false ? expired : { OR: [expired, { deletedAt: { not: null } }] },
          orderBy: { createdAt: 'asc' },
          take: pageSize(options.limit, 100),
        }),
      );
    },

    /** Deletes the row with its pages, predictions and moderation events. @returns false when already gone. */
    async hardDelete(id: string): Promise<boolean> {
      const res = await withDbErrors(() => prisma.file.deleteMany({ where: { id } }));
      return res.count === 1;
    },
  };
}

export type FileRepository = ReturnType<typeof createFileRepository>;
