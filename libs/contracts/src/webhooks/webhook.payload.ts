import { z } from 'zod';
import type { FinalFileStatus } from '../progress/file-progress.ts';

/** Events an endpoint can subscribe to; one per final file status. */
export const WEBHOOK_EVENTS = ['file.complete', 'file.partial', 'file.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The event announcing a final status (`PARTIAL` → `file.partial`). */
export function webhookEventFor(status: FinalFileStatus): WebhookEvent {
  return `file.${status.toLowerCase()}` as WebhookEvent;
}

/** What a delivery says about the file (stored with the delivery, so every retry sends the same). */
export const webhookDataSchema = z.object({
  file_id: z.string(),
  /** Lowercase final status: `complete`, `partial` or `failed`. */
  status: z.enum(['complete', 'partial', 'failed']),
  pages_total: z.int().min(0),
  pages_done: z.int().min(0),
  pages_failed: z.int().min(0),
  /** The string the client sent with the upload (Nanonets `request_metadata`), else null. */
  request_metadata: z.string().nullable(),
  /**
   * Why the file is not complete: the refusal of a document that cannot be read (`corrupt`,
   * `encrypted`, `url_…`, …) or `pages_failed`; null for a complete file.
   */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type WebhookData = z.infer<typeof webhookDataSchema>;

/**
 * The JSON body POSTed to an endpoint. `id` is the delivery id (also in `webhook-id`):
 * receivers de-duplicate on it, since a delivery whose answer was lost is sent again.
 */
export const webhookPayloadSchema = z.object({
  id: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  /** When the event happened, Unix seconds. */
  created_at: z.int(),
  data: webhookDataSchema,
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Request headers of a delivery (besides the Standard Webhooks ones, see webhook.signature.ts). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  event: 'Folio-Event',
  /** Sent only to endpoints whose secret predates the Standard Webhooks format. @deprecated */
  legacySignature: 'Folio-Signature',
  /** Sent only to endpoints whose secret predates the Standard Webhooks format; the same as `webhook-id`. @deprecated */
  legacyDelivery: 'Folio-Delivery',
} as const;

/** `POST /v1/webhooks` body. */
export const webhookCreateSchema = z.strictObject({
  /** http(s) URL that receives the POSTs; refused when it points at a private address (SSRF policy). */
  url: z.string().min(1).max(2048),
  /** Events to send; empty or absent = all of {@link WEBHOOK_EVENTS}. */
  events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).optional(),
});
export type WebhookCreateRequest = z.infer<typeof webhookCreateSchema>;

/** An endpoint as listed (never with its secret). */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  object: z.literal('webhook_endpoint'),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  /** Unix seconds. */
  created_at: z.int(),
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;

/** `POST /v1/webhooks` answer: the endpoint and, this once, its signing secret. */
export const webhookEndpointCreatedSchema = webhookEndpointSchema.extend({ secret: z.string() });

/** One entry of the delivery log. */
export const webhookDeliverySchema = z.object({
  id: z.string(),
  object: z.literal('webhook_delivery'),
  endpoint_id: z.string(),
  file_id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  /** Attempts made so far. */
  attempts: z.int().min(0),
  last_status_code: z.int().nullable(),
  last_error: z.string().nullable(),
  /** Unix seconds, or null. */
  next_attempt_at: z.int().nullable(),
  delivered_at: z.int().nullable(),
  created_at: z.int(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

/** Query of `GET /v1/webhooks/{id}/deliveries`. */
export const webhookDeliveriesQuerySchema = z.strictObject({
  /** @defaultValue 20, at most 100 */
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
});

/** Path parameters of `/v1/webhooks/{webhook_id}…`. */
export const webhookParamsSchema = z.object({ webhook_id: z.string().min(1).max(100) });
