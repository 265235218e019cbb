import { jobAttempts, rowIdOf, type JobData, type QueueName } from '@folio/queue';
import { enqueuePageWork } from './page-flow.ts';
import type { WorkerDeps } from '../worker.deps.ts';

export interface ReconcileReport {
  pages: number;
  files: number;
  /** Webhook deliveries re-enqueued (or given up once out of attempts). */
  deliveries: number;
  /** Training runs re-enqueued: a queued run whose job Redis lost would otherwise answer every Train forever. */
  trainingRuns: number;
}

/**
 * Postgres is the source of truth and Redis only the transport: every page or file that
 * Postgres says is unfinished, untouched for longer than the grace period, and held by no live
 * job gets its next job again (Redis flushed or restarted, a job removed by hand, a worker that
 * died between a row update and its enqueue). Pending webhook deliveries likewise.
 */
export async function reconcile(deps: WorkerDeps, now = new Date()): Promise<ReconcileReport> {
  const olderThan = new Date(now.getTime() - deps.config.RECONCILE_GRACE_MS);
  const requestId = `reconcile-${now.getTime()}`;
  // The job a row would have, by its definition's row id.
  const hasLiveJob = <N extends QueueName>(name: N, data: JobData<N>) => deps.queues.hasLiveJob(name, rowIdOf(name, data));
  let pages = 0;
  let files = 0;

  for (const page of await deps.db.pages.findStalled({ olderThan, statuses: ['QUEUED', 'RENDERED'], limit: 1000 })) {
    const queue = page.status === 'QUEUED' ? 'render' : 'recognize';
    if (await hasLiveJob(queue, { pageId: page.id, fileId: page.fileId, orgId: page.orgId, requestId })) continue;
    await enqueuePageWork(deps, page, { requestId, replaceFinished: true });
    pages++;
  }

  for (const file of await deps.db.files.findStalled({ olderThan, limit: 500 })) {
    const data = { fileId: file.id, orgId: file.orgId, requestId };
    if (file.status === 'QUEUED') {
      if (await hasLiveJob('ingest', data)) continue;
      await deps.queues.enqueue('ingest', data, { replaceFinished: true });
      files++;
      continue;
    }
    const progress = await deps.db.files.progress(file.id);
    if (progress.pending > 0 || (await hasLiveJob('finalize', data))) continue;
    await deps.queues.enqueue('finalize', data, { replaceFinished: true });
    files++;
  }
  let deliveries = 0;
  const webhookAttempts = jobAttempts('webhook', deps.config);
  for (const d of await deps.db.webhooks.findStalledDeliveries({ olderThan, limit: 500 })) {
    const data = { deliveryId: d.id, orgId: d.orgId, requestId };
    if (await hasLiveJob('webhook', data)) continue;
    // Its job ran out of tries without recording the end (the worker died each time): stop here.
    if (d.attempts >= webhookAttempts) await deps.db.webhooks.abandon(d.id, d.lastError ?? 'out of attempts');
    else await deps.queues.enqueue('webhook', data, { replaceFinished: true });
    deliveries++;
  }
  let trainingRuns = 0;
  for (const run of await deps.db.training.findStalledRuns({ olderThan, limit: 100 })) {
    const data = { runId: run.id, modelId: run.modelId, orgId: run.orgId, requestId };
    if (await hasLiveJob('train', data)) continue;
    await deps.queues.enqueue('train', data, { replaceFinished: true });
    trainingRuns++;
  }
  if (pages + files + deliveries + trainingRuns > 0) deps.logger.info({ pages, files, deliveries, trainingRuns }, 'reconciler re-enqueued work');
  return { pages, files, deliveries, trainingRuns };
}
