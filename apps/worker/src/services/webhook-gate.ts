/** Limits of {@link createWebhookGate} (config `WEBHOOK_*`). */
export interface WebhookGateOptions {
  /** Deliveries in flight to one endpoint. */
  perEndpoint: number;
  /** Deliveries in flight for one organization. */
  perOrg: number;
  /** Consecutive failures after which an endpoint is paused. */
  pauseAfterFailures: number;
  /** First pause, ms; doubles per further failure. */
  pauseMs: number;
  /** Longest pause, ms. @defaultValue 600_000 */
  maxPauseMs?: number;
  /** Wait before a delivery held back by a concurrency limit looks again, ms. @defaultValue 1_000 */
  retryMs?: number;
  now?: () => number;
}

/** Why a delivery may not go now, and for how long to put it back. */
export interface WebhookHold {
  /** `paused`: the endpoint failed repeatedly; `busy`: a concurrency limit is reached. */
  kind: 'paused' | 'busy';
  delayMs: number;
  reason: string;
}

/** A delivery's slot; say how it went when done. */
export interface WebhookTicket {
  leave(outcome: 'delivered' | 'failed', detail?: string): void;
}

export interface WebhookGate {
  /** A slot for one delivery to `endpointId` of `orgId`, or why it must wait. */
  enter(orgId: string, endpointId: string): WebhookTicket | WebhookHold;
}

interface EndpointState {
  inFlight: number;
  failures: number;
  pausedUntil: number;
  lastError: string | undefined;
}

/**
 * Schedules webhook deliveries fairly in one worker process: at most `perEndpoint` in flight per
 * endpoint and `perOrg` per organization, so one tenant's slow or hanging receivers can never
 * take all of the worker's delivery slots; an endpoint failing `pauseAfterFailures` times in a
 * row is paused (30 s, doubling, up to 10 min) and its deliveries wait without using attempts.
 * A delivery that gets through after the pause closes the breaker again.
 */
export function createWebhookGate(options: WebhookGateOptions): WebhookGate {
  const now = options.now ?? Date.now;
  const maxPause = options.maxPauseMs ?? 600_000;
  const retryMs = options.retryMs ?? 1_000;
  const endpoints = new Map<string, EndpointState>();
  const orgs = new Map<string, number>();
  // Spread the retries of held deliveries so they do not all come back in the same tick.
  const jitter = (ms: number) => Math.round(ms * (1 + Math.random() * 0.5));

  const stateOf = (id: string): EndpointState => {
    let s = endpoints.get(id);
    if (!s) endpoints.set(id, (s = { inFlight: 0, failures: 0, pausedUntil: 0, lastError: undefined }));
    return s;
  };

  return {
    enter(orgId, endpointId) {
      const endpoint = stateOf(endpointId);
      const t = now();
      if (endpoint.pausedUntil > t) {
        return {
          kind: 'paused',
          delayMs: jitter(endpoint.pausedUntil - t),
          reason:
            `endpoint paused after ${endpoint.failures} consecutive failed deliveries` +
            `${endpoint.lastError ? ` (last: ${endpoint.lastError})` : ''}; next try at ${new Date(endpoint.pausedUntil).toISOString()}`,
        };
      }
      if (endpoint.inFlight >= options.perEndpoint) {
        return { kind: 'busy', delayMs: jitter(retryMs), reason: `endpoint has ${endpoint.inFlight} deliveries in flight` };
      }
      const org = orgs.get(orgId) ?? 0;
      if (org >= options.perOrg) return { kind: 'busy', delayMs: jitter(retryMs), reason: `organization has ${org} deliveries in flight` };
      endpoint.inFlight++;
      orgs.set(orgId, org + 1);
      let left = false;
      return {
        leave(outcome, detail) {
          if (left) return;
          left = true;
          endpoint.inFlight--;
          const o = (orgs.get(orgId) ?? 1) - 1;
          if (o <= 0) orgs.delete(orgId);
          else orgs.set(orgId, o);
          if (outcome === 'delivered') {
            endpoint.failures = 0;
            endpoint.pausedUntil = 0;
            endpoint.lastError = undefined;
          } else {
            endpoint.failures++;
            endpoint.lastError = detail?.slice(0, 200);
            const over = endpoint.failures - options.pauseAfterFailures;
            if (over >= 0) endpoint.pausedUntil = now() + Math.min(maxPause, options.pauseMs * 2 ** over);
          }
          if (endpoint.inFlight === 0 && endpoint.failures === 0) endpoints.delete(endpointId);
        },
      };
    },
  };
}

/** True when `enter` said wait. */
export function isHold(x: WebhookTicket | WebhookHold): x is WebhookHold {
  return 'kind' in x;
}
