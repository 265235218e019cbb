import { isDocumentError, openDocument, limitsFromConfig } from '@folio/documents';
import { selectedPageIndexes, type Failure } from '@folio/contracts';
import { UnrecoverableError, type JobProcessor } from '@folio/queue';
import { failureReason } from '@folio/services';
import { isUrlFetchError } from '@folio/url-fetch';
import { FailureError, urlFailureOf } from '../services/failure.mapping.ts';
import { isLastAttempt } from '../services/page-failure.ts';
import { materializeUrl } from '../services/url-source.ts';
import { enqueuePageWork } from '../services/page-flow.ts';
import { skipUnlessForeign } from '../services/foreign-job.ts';
import type { WorkerDeps } from '../worker.deps.ts';

/** Past the API's ingest wait: the upload's own time before the wait began, and clock skew. */
const REFUSAL_MARGIN_MS = 10_000;

/**
 * Reads the stored original, checks it is a document we can page through, creates its Page
 * rows and enqueues their work. A document that cannot be read fails the file with the reason
 * (the API turns it into a 4xx when it is still waiting).
 */
export function ingestProcessor(deps: WorkerDeps): JobProcessor<'ingest'> {
  const limits = limitsFromConfig(deps.config);
  return async ({ fileId, orgId, requestId }, { job }) => {
    const file = await deps.db.files.findById(fileId);
    if (!file) return skipUnlessForeign(deps, job, orgId, 'file gone');
    if (file.deletedAt) return { skipped: 'file gone' };
    if (file.status !== 'QUEUED' && file.status !== 'PROCESSING') return { skipped: `file ${file.status}` };
    if (!file.storageKey) throw new UnrecoverableError(`file ${fileId} has no stored original`);
    /**
     * Refuses the file for good with its reason and wakes the API request waiting on it, which
     * then discards the file and answers 4xx. A request that stopped waiting (INGEST_WAIT_MS) has
     * answered with the file id instead: for that client the refusal is the file's outcome, so
     * finalize runs once no request can still be waiting and sends the webhooks (a discarded
     * file is gone by then and skipped).
     */
    const refuse = async (failure: Failure): Promise<never> => {
      if (await deps.db.files.markFailed(fileId, failure)) {
        deps.metrics.failures.inc({ stage: 'ingest', reason: failureReason(failure.code) });
        await deps.events.publish({ type: 'file', fileId, status: 'FAILED' });
        const waitEnds = file.createdAt.getTime() + deps.config.INGEST_WAIT_MS + REFUSAL_MARGIN_MS;
        await deps.queues.enqueue('finalize', { fileId, orgId: file.orgId, requestId }, { delay: Math.max(0, waitEnds - Date.now()) });
      }
      throw new FailureError(failure);
    };

    let pageCount: number;
    try {
      if (file.source === 'URL' && file.sourceUrl) await materializeUrl(deps, { ...file, storageKey: file.storageKey, sourceUrl: file.sourceUrl });
      const doc = await openDocument(await deps.storage.getBuffer(file.storageKey), limits);
      pageCount = doc.pageCount;
      await doc.close();
    } catch (err) {
      if (isUrlFetchError(err)) {
        // Timeouts, 5xx and network errors may pass; the rest will not get better by retrying.
        if (!err.permanent && !isLastAttempt(job)) throw err;
        return refuse(urlFailureOf(err, file.sourceUrl ?? ''));
      }
      if (err instanceof FailureError) return refuse(err.failure);
      if (!isDocumentError(err)) throw err;
      return refuse(err.refusal);
    }

    // A request's page selection limits the work: only those pages get rows, renders and OCR.
    const indexes = selectedPageIndexes(file.pageSelection, pageCount);
    if (file.processingType === 'SYNC' && indexes.length > deps.config.SYNC_MAX_PAGES) {
      return refuse({ code: 'sync_page_limit', pageCount: indexes.length, maxPages: deps.config.SYNC_MAX_PAGES });
    }
    const pages = await deps.db.files.createPages(fileId, pageCount, { indexes });
    await deps.db.files.markProcessing(fileId);
    await deps.events.publish({ type: 'file', fileId, status: 'PROCESSING' });
    for (const page of pages) await enqueuePageWork(deps, page, { requestId, priority: job.opts.priority });
    return { pages: indexes.length };
  };
}
