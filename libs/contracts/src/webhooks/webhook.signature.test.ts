import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookSignature, generateWebhookSecret, signWebhookPayload, verifyWebhookSignature } from './webhook.signature.ts';

describe('webhook signatures', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ id: 'd1', event: 'file.complete', data: { file_id: 'f' } });
  const t = 1_760_000_000;

  it('signs HMAC-SHA256 over "<t>.<body>" as t=…,v1=<hex>', () => {
    const header = signWebhookPayload(secret, body, t);
    const hex = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hex}`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it('verifies its own signature within the tolerance, for string and byte bodies', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, 300, t + 299)).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), 300, t - 10)).toBe(true);
  });

  it('refuses a changed body, another secret, an old timestamp and malformed headers, saying why', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(checkWebhookSignature(secret, header, `${body} `, 300, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSignature(generateWebhookSecret(), header, body, 300, t)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSignature(secret, header, body, 300, t + 301)).toEqual({ ok: false, reason: 'expired' });
    for (const bad of [undefined, '', 'garbage', `t=${t}`, 'v1=abc', `t=x,v1=${'0'.repeat(64)}`]) {
      expect(checkWebhookSignature(secret, bad, body, 300, t)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts when any of several v1 values matches (a receiver may see two during a change)', () => {
    const header = signWebhookPayload(secret, body, t);
    const withDecoy = `t=${t},v1=${'0'.repeat(64)},${header.split(',')[1]}`;
    expect(verifyWebhookSignature(secret, withDecoy, body, 300, t)).toBe(true);
  });
});
