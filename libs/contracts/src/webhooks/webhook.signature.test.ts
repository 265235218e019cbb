import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookSignature,
  generateWebhookSecret,
  isLegacyWebhookSecret,
  signLegacyWebhookPayload,
  signWebhookPayload,
  standardWebhookSecret,
  verifyWebhookSignature,
} from './webhook.signature.ts';

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = generateWebhookSecret();
  const id = 'd1';
  const body = JSON.stringify({ id, event: 'file.complete', data: { file_id: 'f' } });
  const t = 1_760_000_000;

  it('signs v1,<base64 HMAC-SHA256(decoded secret, "<id>.<t>.<body>")> with a whsec_<base64> secret', () => {
    const headers = signWebhookPayload(secret, id, body, t);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64');
    expect(headers).toEqual({ 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${mac}` });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(isLegacyWebhookSecret(secret)).toBe(false);
  });

  it('is what the standardwebhooks library verifies, and verifies what that library signs', () => {
    const now = Math.floor(Date.now() / 1000);
    const library = new Webhook(secret);
    expect(library.verify(body, signWebhookPayload(secret, id, body, now))).toEqual(JSON.parse(body));
    const theirs = library.sign(id, new Date(now * 1000), body);
    expect(verifyWebhookSignature(secret, { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': theirs }, body)).toBe(true);
  });

  it('verifies within the tolerance, for string and byte bodies, from records and fetch Headers', () => {
    const headers = signWebhookPayload(secret, id, body, t);
    expect(verifyWebhookSignature(secret, headers, body, 300, t + 299)).toBe(true);
    expect(verifyWebhookSignature(secret, headers, Buffer.from(body), 300, t - 10)).toBe(true);
    expect(verifyWebhookSignature(secret, new Headers(headers), body, 300, t)).toBe(true);
    expect(verifyWebhookSignature(secret, { 'Webhook-Id': id, 'Webhook-Timestamp': String(t), 'Webhook-Signature': headers['webhook-signature'] }, body, 300, t)).toBe(true);
  });

  it('refuses a changed body or id, another secret, an old timestamp and malformed headers, saying why', () => {
    const headers = signWebhookPayload(secret, id, body, t);
    expect(checkWebhookSignature(secret, headers, `${body} `, 300, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSignature(secret, { ...headers, 'webhook-id': 'd2' }, body, 300, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSignature(generateWebhookSecret(), headers, body, 300, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSignature(secret, headers, body, 300, t + 301)).toEqual({ ok: false, reason: 'expired' });
    for (const bad of [{}, { ...headers, 'webhook-signature': '' }, { ...headers, 'webhook-signature': 'v2,abc' }, { ...headers, 'webhook-timestamp': 'x' }, { ...headers, 'webhook-id': '' }]) {
      expect(checkWebhookSignature(secret, bad, body, 300, t)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts when any of several space-separated signatures matches (a receiver may see two during a rotation)', () => {
    const headers = signWebhookPayload(secret, id, body, t);
    const withDecoy = { ...headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}` };
    expect(verifyWebhookSignature(secret, withDecoy, body, 300, t)).toBe(true);
  });

  it('keeps secrets made before (whsec_<base64url>): the same bytes sign, rewritten for the library; the old header is unchanged', () => {
    const legacy = `whsec_${randomBytes(32).toString('base64url')}`;
    expect(isLegacyWebhookSecret(legacy)).toBe(true);
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhookPayload(legacy, id, body, now);
    expect(new Webhook(standardWebhookSecret(legacy)).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifyWebhookSignature(legacy, headers, body)).toBe(true);
    expect(standardWebhookSecret(secret)).toBe(secret);
    const hex = createHmac('sha256', legacy).update(`${t}.${body}`).digest('hex');
    expect(signLegacyWebhookPayload(legacy, body, t)).toBe(`t=${t},v1=${hex}`);
  });
});
