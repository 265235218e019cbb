import type { PageSummary } from '@folio/db';
import { JOB_PRIORITY, type PageRead } from '@folio/queue';
import type { WorkerDeps } from '../worker.deps.ts';

interface FlowContext {
  requestId: string;
  /** Carried from the job that caused the work, so a sync request stays ahead all the way. */
  priority?: number;
}

/**
 * Enqueues the next stage a page needs given its status in Postgres: QUEUED → render,
 * RENDERED → recognize (with `read`, how its file wants it read, when the caller has the file).
 * Job ids derive from the page id, so calling this twice is harmless.
 */
export async function enqueuePageWork(
  deps: Pick<WorkerDeps, 'queues'>,
  page: Pick<PageSummary, 'id' | 'fileId' | 'orgId' | 'status'>,
  ctx: FlowContext & { replaceFinished?: boolean; read?: PageRead },
): Promise<void> {
  const data = { pageId: page.id, fileId: page.fileId, orgId: page.orgId, requestId: ctx.requestId };
  const opts = { priority: ctx.priority ?? JOB_PRIORITY.normal, replaceFinished: ctx.replaceFinished ?? false };
  if (page.status === 'QUEUED') await deps.queues.enqueue('render', data, opts);
  else if (page.status === 'RENDERED') await deps.queues.enqueue('recognize', ctx.read ? { ...data, read: ctx.read } : data, opts);
}

/**
 * After a page reached DONE or FAILED: tells listeners, and when no page of the file is
 * pending any more, enqueues the file's finalize job (its id derives from the file, so the
 * last two pages finishing together still finalize once).
 */
export async function pageSettled(
  deps: Pick<WorkerDeps, 'db' | 'queues' | 'events' | 'metrics'>,
  page: { id: string; fileId: string; orgId: string; status: string },
  ctx: FlowContext,
): Promise<void> {
  deps.metrics.pagesProcessed.inc({ status: page.status === 'DONE' ? 'done' : 'failed' });
  const progress = await deps.db.files.progress(page.fileId);
  await deps.events.publish({
    type: 'page',
    fileId: page.fileId,
    pageId: page.id,
    status: page.status,
    done: progress.done + progress.failed,
    total: progress.total,
  });
  if (progress.pending === 0) {
    await deps.queues.enqueue(
      'finalize',
      { fileId: page.fileId, orgId: page.orgId, requestId: ctx.requestId },
      // A file read again (`force_ocr` after a text-layer read) finalizes again: its first
      // finalize job is retained under the same id. Finalize is idempotent.
      { priority: ctx.priority ?? JOB_PRIORITY.normal, replaceFinished: true },
    );
  }
}
