import type { JsonSchema } from './openapi.json-schema.ts';
import {
  webhookCreateSchema,
  webhookDeliveriesQuerySchema,
  webhookParamsSchema,
  WEBHOOK_EVENTS,
  WEBHOOK_HEADERS,
} from '../webhooks/webhook.payload.ts';
import type { Operations, ResponseSpec } from './openapi.types.ts';

const folioErrors = (...statuses: number[]): Record<number, ResponseSpec> =>
  Object.fromEntries(statuses.map((s) => [s, { description: s === 404 ? 'Unknown id, or another organization`s.' : 'Error.', schemas: ['FolioError' as const] }]));

/** The webhook endpoints API (Bearer). */
export const webhooksOperations = {
  webhooksCreate: {
    method: 'post',
    path: '/v1/webhooks',
    tag: 'Webhooks',
    summary: 'Register an endpoint for file.complete / file.partial / file.failed; answers its signing secret once',
    security: 'bearer',
    body: { kind: 'json', schema: webhookCreateSchema },
    responses: { 201: { description: 'The endpoint and its secret.', schemas: ['WebhookEndpointCreated'] }, ...folioErrors(400, 401) },
  },
  webhooksList: {
    method: 'get',
    path: '/v1/webhooks',
    tag: 'Webhooks',
    summary: 'The organization`s endpoints, newest first (no secrets)',
    security: 'bearer',
    responses: { 200: { description: 'Endpoints.', schemas: ['WebhookEndpointList'] }, ...folioErrors(401) },
  },
  webhooksDelete: {
    method: 'delete',
    path: '/v1/webhooks/{webhook_id}',
    tag: 'Webhooks',
    summary: 'Delete an endpoint (pending deliveries to it end failed)',
    security: 'bearer',
    params: webhookParamsSchema,
    responses: { 200: { description: 'Deleted.', schemas: ['WebhookEndpointDeleted'] }, ...folioErrors(400, 401, 404) },
  },
  webhooksDeliveries: {
    method: 'get',
    path: '/v1/webhooks/{webhook_id}/deliveries',
    tag: 'Webhooks',
    summary: 'Delivery log of an endpoint, newest first',
    security: 'bearer',
    params: webhookParamsSchema,
    query: webhookDeliveriesQuerySchema,
    responses: { 200: { description: 'Deliveries with attempts and last answer.', schemas: ['WebhookDeliveryList'] }, ...folioErrors(400, 401, 404) },
  },
} satisfies Operations;

/**
 * The POSTs Folio makes to subscribed endpoints, one per event (OpenAPI 3.1 `webhooks`): what a
 * receiver must accept, with the headers to verify it by.
 */
export function webhookOperations(ref: (name: string) => JsonSchema): Record<string, Record<string, JsonSchema>> {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, schema: { type: 'string' }, description });
  return Object.fromEntries(
    WEBHOOK_EVENTS.map((event) => {
      const status = event.slice('file.'.length);
      const post = {
        operationId: `webhook${status[0]!.toUpperCase()}${status.slice(1)}`,
        tags: ['Webhooks'],
        summary: `Sent when a file ends ${status.toUpperCase()}`,
        parameters: [
          header(WEBHOOK_HEADERS.id, 'Standard Webhooks message id: the delivery id, also the body`s `id`, the same on every retry: de-duplicate on it (delivery is at least once).'),
          header(WEBHOOK_HEADERS.timestamp, 'Standard Webhooks timestamp: Unix seconds of this attempt; refuse old ones.'),
          header(
            WEBHOOK_HEADERS.signature,
            '`v1,<base64 HMAC-SHA256(base64-decoded secret after `whsec_`, "<webhook-id>.<webhook-timestamp>.<raw body>")>` (Standard Webhooks; verify on the raw body with any Standard Webhooks library).',
          ),
          header(WEBHOOK_HEADERS.event, `\`${event}\`.`),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: ref('WebhookPayload') } } },
        responses: { '2XX': { description: 'Delivered. Anything else (or no answer within WEBHOOK_TIMEOUT_MS) is retried with exponential backoff.' } },
      };
      return [event, { post }];
    }),
  );
}
