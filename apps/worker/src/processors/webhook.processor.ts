import { isLegacyWebhookSecret, signLegacyWebhookPayload, signWebhookPayload, WEBHOOK_HEADERS, type WebhookPayload } from '@folio/contracts';
import type { WebhookDeliveryWithEndpoint } from '@folio/db';
import { JobDeferredError, UnrecoverableError, type JobProcessor } from '@folio/queue';
import { compileUrlFetchPolicy, isUrlFetchError, postToUrl, urlFetchPolicyFromConfig } from '@folio/url-fetch';
import { isLastAttempt, reasonOf } from '../services/page-failure.ts';
import { skipUnlessForeign } from '../services/foreign-job.ts';
import { createWebhookGate, isHold } from '../services/webhook-gate.ts';
import type { WorkerDeps } from '../worker.deps.ts';

const USER_AGENT = 'Folio-Webhooks/1';

/** The JSON body of a delivery: the stored event data under the delivery's id and time. */
export function deliveryBody(d: WebhookDeliveryWithEndpoint): string {
  const payload = {
    id: d.id,
    event: d.event as WebhookPayload['event'],
    created_at: Math.floor(d.createdAt.getTime() / 1000),
    data: d.payload as WebhookPayload['data'],
  } satisfies WebhookPayload;
  return JSON.stringify(payload);
}

/** Endpoints created before the Standard Webhooks format also get the headers they were written for. */
function legacyHeaders(d: WebhookDeliveryWithEndpoint, body: string): Record<string, string> {
  if (!isLegacyWebhookSecret(d.endpoint.secret)) return {};
  return { [WEBHOOK_HEADERS.legacySignature]: signLegacyWebhookPayload(d.endpoint.secret, body), [WEBHOOK_HEADERS.legacyDelivery]: d.id };
}

/**
 * Sends one webhook delivery: POSTs the signed JSON to the endpoint through the SSRF-safe client
 * (the URL is checked again now, after DNS, whatever it was at creation). A 2xx answer within
 * WEBHOOK_TIMEOUT_MS marks it DELIVERED; anything else counts the attempt and throws, so BullMQ
 * retries with exponential backoff (WEBHOOK_ATTEMPTS, WEBHOOK_BACKOFF_MS). After the last
 * attempt, or for a URL the policy refuses, the delivery is FAILED.
 *
 * Deliveries pass a fairness gate first (services/webhook-gate.ts): a bounded number in flight
 * per endpoint and per organization, and an endpoint that keeps failing is paused — its
 * deliveries wait, without using attempts, and their log says so.
 */
export function webhookProcessor(deps: WorkerDeps): JobProcessor<'webhook'> {
  // Never POST to Folio's own storage (a URL on it, a name resolving to it), whatever
  // URL_ALLOW_PRIVATE allows: the same rule as URL inputs (services/url-source.ts).
  const policy = compileUrlFetchPolicy({
    ...urlFetchPolicyFromConfig(deps.config),
    timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
    forbidTarget: (url, address) => deps.storage.reachesStorage(url, address),
  });
  const backoffMs = deps.config.WEBHOOK_BACKOFF_MS;
  const gate = createWebhookGate({
    perEndpoint: deps.config.WEBHOOK_ENDPOINT_CONCURRENCY,
    perOrg: deps.config.WEBHOOK_ORG_CONCURRENCY,
    pauseAfterFailures: deps.config.WEBHOOK_PAUSE_AFTER_FAILURES,
    pauseMs: deps.config.WEBHOOK_PAUSE_MS,
  });
  return async ({ deliveryId, orgId }, { job }) => {
    const delivery = await deps.db.webhooks.findDelivery(deliveryId);
    if (!delivery) return skipUnlessForeign(deps, job, orgId, 'delivery gone');
    if (delivery.status !== 'PENDING') return { skipped: `delivery ${delivery.status}` };
    if (!delivery.endpoint.active || delivery.endpoint.deletedAt) {
      await deps.db.webhooks.abandon(delivery.id, 'endpoint deleted before delivery');
      return { skipped: 'endpoint deleted' };
    }

    const ticket = gate.enter(orgId, delivery.endpointId);
    if (isHold(ticket)) {
      if (ticket.kind === 'paused') await deps.db.webhooks.noteHeld(delivery.id, ticket.reason, new Date(Date.now() + ticket.delayMs));
      throw new JobDeferredError(ticket.delayMs, ticket.reason);
    }
    const body = deliveryBody(delivery);
    let statusCode: number | null = null;
    let error = '';
    let permanent = false;
    let delivered = false;
    try {
      const res = await postToUrl(
        delivery.endpoint.url,
        {
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            ...signWebhookPayload(delivery.endpoint.secret, delivery.id, body),
            [WEBHOOK_HEADERS.event]: delivery.event,
            ...legacyHeaders(delivery, body),
          },
        },
        policy,
      );
      statusCode = res.status;
      if (res.status >= 200 && res.status < 300) {
        delivered = true;
        await deps.db.webhooks.recordAttempt(delivery.id, { status: 'DELIVERED', statusCode, error: null });
        return { delivered: true, status: res.status };
      }
      error = `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`;
    } catch (err) {
      // A URL that now points somewhere private (or is no longer a URL) will not get better.
      permanent = isUrlFetchError(err) && (err.code === 'forbidden_address' || err.code === 'invalid_url');
      error = reasonOf(err);
    } finally {
      ticket.leave(delivered ? 'delivered' : 'failed', error);
    }

    const last = permanent || isLastAttempt(job);
    await deps.db.webhooks.recordAttempt(delivery.id, {
      status: last ? 'FAILED' : 'PENDING',
      statusCode,
      error,
      // BullMQ's exponential backoff: delay × 2^(attempts made before this one), ±20 % jitter.
      nextAttemptAt: last ? null : new Date(Date.now() + backoffMs * 2 ** job.attemptsMade),
    });
    // Retries are routine (receivers restart); the delivery giving up is what an operator wants to see.
    deps.logger[last ? 'warn' : 'info']({ deliveryId, endpointId: delivery.endpointId, attempt: job.attemptsMade + 1, error, final: last }, 'webhook delivery failed');
    if (last) throw new UnrecoverableError(error);
    throw new Error(error);
  };
}
