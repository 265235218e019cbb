import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures in the Standard Webhooks format (https://www.standardwebhooks.com), so
 * receivers can verify deliveries with that project's libraries (npm `standardwebhooks`, Svix):
 *
 * - `webhook-id`: the delivery id (the same on every retry of one delivery),
 * - `webhook-timestamp`: Unix seconds of this attempt,
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>`, several
 *   separated by spaces during a secret rotation,
 *
 * where the key is the secret's base64 part decoded (`whsec_<base64>`). The timestamp is signed,
 * so a captured request cannot be replayed later than the receiver's tolerance.
 *
 * Endpoints created before this format got `whsec_<base64url>` secrets: the same 32 bytes, so the
 * signatures verify with the secret rewritten in standard base64 ({@link standardWebhookSecret}).
 * Their deliveries also carry the former `Folio-Signature: t=<t>,v1=<hex HMAC-SHA256(whole secret
 * string, "<t>.<raw body>")>` and `Folio-Delivery` headers ({@link signLegacyWebhookPayload},
 * {@link isLegacyWebhookSecret}), so receivers written for them keep working until they switch.
 */

/** Prefix of endpoint secrets (the rest is 32 random bytes, base64). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + 32 random bytes, standard base64 (what Standard Webhooks libraries decode). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The signing key: the secret's base64 (or, for endpoints created before, base64url) part, decoded. */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  // Node's base64 decoder reads both alphabets, so old base64url secrets give the same bytes.
  return Buffer.from(encoded, 'base64');
}

/**
 * A secret as Standard Webhooks libraries expect it: `whsec_` + standard base64. New secrets
 * already are; an older `whsec_<base64url>` one is rewritten (same bytes, same signatures).
 */
export function standardWebhookSecret(secret: string): string {
  return `${WEBHOOK_SECRET_PREFIX}${signingKey(secret).toString('base64')}`;
}

/** The request headers that carry a delivery's signature. */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

function signatureBase64(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', signingKey(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

/**
 * The Standard Webhooks headers for `body` sent as message `id` at `timestamp`.
 * @param timestamp Unix seconds. @defaultValue now
 */
export function signWebhookPayload(secret: string, id: string, body: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)): WebhookSignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signatureBase64(secret, id, timestamp, body)}`,
  };
}

/** Why a signature was refused, or `ok`. */
export type WebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' };

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain record give them. */
export type ReceivedHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a delivery's Standard Webhooks headers against the raw body (the exact bytes received,
 * before any JSON parsing). Accepts when one `v1,` signature matches (compared in constant time)
 * and `webhook-timestamp` is within `toleranceS` seconds of `nowS`. Use
 * {@link checkWebhookSignature} for the reason of a refusal.
 * @param toleranceS Largest clock difference accepted, seconds. @defaultValue 300
 */
export function verifyWebhookSignature(
  secret: string,
  headers: ReceivedHeaders,
  body: string | Uint8Array,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  return checkWebhookSignature(secret, headers, body, toleranceS, nowS).ok;
}

/** {@link verifyWebhookSignature} with the reason of a refusal. */
export function checkWebhookSignature(
  secret: string,
  headers: ReceivedHeaders,
  body: string | Uint8Array,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): WebhookSignatureCheck {
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !stamp || !/^\d{1,12}$/.test(stamp) || !signatures || signatures.length > 4096) return { ok: false, reason: 'malformed' };
  const candidates = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'))
    .filter((b) => b.length === 32);
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(stamp);
  if (Math.abs(nowS - timestamp) > toleranceS) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(signatureBase64(secret, id, timestamp, body), 'base64');
  const match = candidates.some((c) => timingSafeEqual(c, expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

/**
 * Whether an endpoint's secret predates the Standard Webhooks format (`whsec_` + 43 base64url
 * characters, where new secrets are 44 standard base64 ones ending in `=`): its deliveries also
 * carry the former `Folio-Signature` and `Folio-Delivery` headers.
 */
export function isLegacyWebhookSecret(secret: string): boolean {
  return !secret.endsWith('=');
}

/**
 * The former `Folio-Signature` value, `t=<t>,v1=<hex HMAC-SHA256(secret string, "<t>.<body>")>`,
 * still sent beside the Standard Webhooks headers so receivers written for it keep working.
 * @deprecated Verify the Standard Webhooks headers ({@link verifyWebhookSignature}) instead.
 */
export function signLegacyWebhookPayload(secret: string, body: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `t=${timestamp},v1=${mac.digest('hex')}`;
}
