import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe-like: `Folio-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256 with the endpoint's secret over `"<t>.<raw request body>"`. The timestamp is signed
 * too, so a captured request cannot be replayed later than the receiver's tolerance.
 */

/** Prefix of endpoint secrets (the rest is 32 random bytes, base64url). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return mac.digest('hex');
}

/**
 * The `Folio-Signature` header value for `body` sent at `timestamp`.
 * @param timestamp Unix seconds. @defaultValue now
 */
export function signWebhookPayload(secret: string, body: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/** Why a signature was refused, or `ok`. */
export type WebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a `Folio-Signature` header against the raw body (the exact bytes received, before any
 * JSON parsing). Accepts when one `v1=` value matches (compared in constant time) and `t` is
 * within `toleranceS` seconds of `nowS`. Use {@link checkWebhookSignature} for the reason.
 * @param toleranceS Largest clock difference accepted, seconds. @defaultValue 300
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  return checkWebhookSignature(secret, header, body, toleranceS, nowS).ok;
}

/** {@link verifyWebhookSignature} with the reason of a refusal. */
export function checkWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): WebhookSignatureCheck {
  if (!header || header.length > 2048) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowS - timestamp) > toleranceS) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
