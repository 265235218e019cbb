import { effectiveCode, failureMessage, fileFailureOf, webhookEventFor, type FinalFileStatus, type StoredFileFailure, type WebhookData } from '@folio/contracts';
import type { FinalizeResult } from '@folio/db';
import type { WorkerDeps } from '../worker.deps.ts';

/**
 * Records one webhook delivery per subscribed endpoint for a file's final status and enqueues a
 * `webhook` job per delivery still pending. Safe to repeat: the delivery table is unique per
 * endpoint, file and event, and job ids derive from delivery ids, so a re-run finalize (retry,
 * reconciler) sends nothing twice and picks up deliveries an interrupted run left unqueued.
 * @returns how many deliveries were enqueued.
 */
export async function dispatchWebhooks(
  deps: Pick<WorkerDeps, 'db' | 'queues'>,
  file: { id: string; orgId: string; requestMetadata: string | null } & StoredFileFailure,
  outcome: Pick<FinalizeResult, 'total' | 'done' | 'failed'> & { status: FinalFileStatus },
  requestId: string,
): Promise<number> {
  const event = webhookEventFor(outcome.status);
  const endpoints = await deps.db.webhooks.subscribedEndpoints(file.orgId, event);
  if (endpoints.length === 0) return 0;
  const failure = outcome.status === 'COMPLETE' ? null : fileFailureOf(file);
  const data: WebhookData = {
    file_id: file.id,
    status: outcome.status.toLowerCase() as WebhookData['status'],
    pages_total: outcome.total,
    pages_done: outcome.done,
    pages_failed: outcome.failed,
    request_metadata: file.requestMetadata,
    error: failure ? { code: effectiveCode(failure), message: failureMessage(failure) } : null,
  };
  const pending = await deps.db.webhooks.createDeliveries({
    orgId: file.orgId,
    fileId: file.id,
    event,
    payload: data,
    endpointIds: endpoints.map((e) => e.id),
  });
  if (pending.length === 0) return 0;
  await deps.queues.enqueueMany(
    'webhook',
    pending.map((d) => ({ data: { deliveryId: d.id, orgId: d.orgId, requestId } })),
  );
  return pending.length;
}
