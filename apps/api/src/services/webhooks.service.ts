import {
  generateWebhookSecret,
  WEBHOOK_EVENTS,
  type WebhookCreateRequest,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEvent,
} from '@folio/contracts';
import type { WebhookDeliveryRow, WebhookDeliveryStatus, WebhookEndpointRow } from '@folio/db';
import { checkUrl, isUrlFetchError, UrlFetchError } from '@folio/url-fetch';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { urlPolicyOf } from './admission.service.ts';

const unix = (d: Date | null): number | null => (d ? Math.floor(d.getTime() / 1000) : null);

/** An endpoint as the API lists it; the secret is shown only by {@link createEndpoint}. */
export function endpointView(row: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    events: (row.events.length === 0 ? [...WEBHOOK_EVENTS] : row.events) as WebhookEvent[],
    active: row.active,
    created_at: unix(row.createdAt) as number,
  };
}

export function deliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint_id: row.endpointId,
    file_id: row.fileId,
    event: row.event,
    status: row.status.toLowerCase() as WebhookDeliveryView['status'],
    attempts: row.attempts,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    next_attempt_at: unix(row.nextAttemptAt),
    delivered_at: unix(row.deliveredAt),
    created_at: unix(row.createdAt) as number,
  };
}

/**
 * Registers an endpoint for the organization. The URL must pass the same SSRF policy as URL
 * inputs (http(s), no credentials, no private literal address or `localhost` unless allowed by
 * URL_ALLOW_PRIVATE); deliveries check it again after DNS. At most WEBHOOK_MAX_ENDPOINTS.
 * @returns the endpoint and its signing secret (shown this once).
 */
export async function createEndpoint(deps: ApiDeps, orgId: string, input: WebhookCreateRequest): Promise<WebhookEndpointView & { secret: string }> {
  let url: URL;
  try {
    url = checkUrl(input.url, urlPolicyOf(deps.config));
    // Deliveries never POST to Folio's own storage (the worker refuses it after DNS as well):
    // with its address allowed (URL_ALLOW_PRIVATE), a receiver there would be the storage server.
    if (deps.storage.reachesStorage(url, url.hostname.replace(/^\[|\]$/g, ''))) {
      throw new UrlFetchError('forbidden_address', `URL host ${url.hostname} is Folio's own storage and is never a webhook receiver`);
    }
  } catch (err) {
    if (isUrlFetchError(err)) throw errors.badRequest(`url: ${err.message}`, `url_${err.code}`);
    throw err;
  }
  if ((await deps.db.webhooks.countEndpoints(orgId)) >= deps.config.WEBHOOK_MAX_ENDPOINTS) {
    throw errors.badRequest(`An organization may have at most ${deps.config.WEBHOOK_MAX_ENDPOINTS} webhook endpoints; delete one first.`, 'too_many_endpoints');
  }
  const events = [...new Set(input.events ?? [])];
  // Subscribing to every event is stored as the empty list, so events added later reach it too.
  const stored = events.length === WEBHOOK_EVENTS.length ? [] : events;
  const secret = generateWebhookSecret();
  const row = await deps.db.webhooks.createEndpoint({ orgId, url: url.toString(), secret, events: stored });
  return { ...endpointView(row), secret };
}

export async function listEndpoints(deps: ApiDeps, orgId: string): Promise<{ object: 'list'; data: WebhookEndpointView[] }> {
  return { object: 'list', data: (await deps.db.webhooks.listEndpoints(orgId)).map(endpointView) };
}

/** The organization's endpoint, or 404 (another tenant's id is as unknown as a missing one). */
export async function requireEndpoint(deps: ApiDeps, id: string, orgId: string): Promise<WebhookEndpointRow> {
  const row = await deps.db.webhooks.findEndpointForOrg(id, orgId);
  if (!row) throw errors.notFound('Webhook endpoint', id);
  return row;
}

/** Stops deliveries to the endpoint; pending ones end FAILED. 404 when unknown. */
export async function deleteEndpoint(deps: ApiDeps, id: string, orgId: string): Promise<{ id: string; object: 'webhook_endpoint'; deleted: true }> {
  if (!(await deps.db.webhooks.deleteEndpoint(id, orgId))) throw errors.notFound('Webhook endpoint', id);
  return { id, object: 'webhook_endpoint', deleted: true };
}

/** The endpoint's delivery log, newest first. */
export async function listDeliveries(
  deps: ApiDeps,
  id: string,
  orgId: string,
  query: { limit: number; status?: 'pending' | 'delivered' | 'failed' | undefined },
): Promise<{ object: 'list'; data: WebhookDeliveryView[] }> {
  await requireEndpoint(deps, id, orgId);
  const rows = await deps.db.webhooks.listDeliveries(id, orgId, {
    limit: query.limit,
    ...(query.status ? { status: query.status.toUpperCase() as WebhookDeliveryStatus } : {}),
  });
  return { object: 'list', data: rows.map(deliveryView) };
}
