import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseDataUrl, sniffMime } from './data-url.ts';

const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#fff' } }).png().toBuffer();
const jpeg = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#fff' } }).jpeg().toBuffer();
const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
const url = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

describe('parseDataUrl', () => {
  it('decodes PNG and JPEG and reports the sniffed type', () => {
    const a = parseDataUrl(url('image/png', png));
    expect(a).toMatchObject({ ok: true, mime: 'image/png' });
    if (a.ok) expect(a.bytes.equals(png)).toBe(true);
    expect(parseDataUrl(url('image/jpeg', jpeg))).toMatchObject({ ok: true, mime: 'image/jpeg' });
  });

  it("accepts the seed's own spellings (img/png, image/jpg) and a PNG labelled image/jpeg", () => {
    expect(parseDataUrl(url('img/png', png))).toMatchObject({ ok: true, mime: 'image/png' });
    expect(parseDataUrl(url('image/jpg', jpeg))).toMatchObject({ ok: true, mime: 'image/jpeg' });
    expect(parseDataUrl(url('image/jpeg', png))).toMatchObject({ ok: true, mime: 'image/png', declaredMime: 'image/jpeg' });
  });

  it('refuses a PNG labelled image/jpeg when strictType is set', () => {
    expect(parseDataUrl(url('image/jpeg', png), { strictType: true })).toMatchObject({ ok: false, reason: 'content_mismatch' });
  });

  it('refuses what is not a base64 data URL', () => {
    expect(parseDataUrl('https://example.com/a.png')).toMatchObject({ ok: false, reason: 'not_data_url' });
    expect(parseDataUrl('data:image/png;base64')).toMatchObject({ ok: false, reason: 'not_data_url' });
    expect(parseDataUrl(`data:image/png,${png.toString('base64')}`)).toMatchObject({ ok: false, reason: 'not_base64' });
    expect(parseDataUrl(`data:;base64,${png.toString('base64')}`)).toMatchObject({ ok: false, reason: 'unsupported_media_type' });
  });

  it('refuses other media types, declared or sniffed', () => {
    expect(parseDataUrl(url('image/gif', png))).toMatchObject({ ok: false, reason: 'unsupported_media_type' });
    expect(parseDataUrl(url('image/png', pdf))).toMatchObject({ ok: false, reason: 'unsupported_media_type' });
    expect(parseDataUrl(url('image/png', Buffer.from('hello world')))).toMatchObject({ ok: false, reason: 'unsupported_media_type' });
  });

  it('refuses malformed base64: bad alphabet, whitespace, missing padding, stray bits', () => {
    const b64 = png.toString('base64');
    expect(parseDataUrl(`data:image/png;base64,${b64.slice(0, 8)}*${b64.slice(9)}`)).toMatchObject({ reason: 'invalid_base64' });
    expect(parseDataUrl(`data:image/png;base64,${b64.slice(0, 8)}\n${b64.slice(8)}`)).toMatchObject({ reason: 'invalid_base64' });
    expect(parseDataUrl('data:image/png;base64,iVBORw0KGgoAAA')).toMatchObject({ reason: 'invalid_base64' }); // unpadded
    expect(parseDataUrl('data:image/png;base64,iVBORw0KGgp=')).toMatchObject({ reason: 'invalid_base64' });
    expect(parseDataUrl('data:image/png;base64,-_-_')).toMatchObject({ reason: 'invalid_base64' });
  });

  it('refuses empty data and data over maxBytes', () => {
    expect(parseDataUrl('data:image/png;base64,')).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseDataUrl(url('image/png', png), { maxBytes: 10 })).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('accepts PDFs when allowed (Mistral document data URIs)', () => {
    expect(parseDataUrl(url('application/pdf', pdf))).toMatchObject({ ok: false, reason: 'unsupported_media_type' });
    expect(parseDataUrl(url('application/pdf', pdf), { allowed: ['application/pdf', 'image/png', 'image/jpeg'] })).toMatchObject({
      ok: true,
      mime: 'application/pdf',
    });
  });
});

describe('sniffMime', () => {
  it('knows PNG, JPEG, TIFF and PDF', () => {
    expect(sniffMime(png)).toBe('image/png');
    expect(sniffMime(jpeg)).toBe('image/jpeg');
    expect(sniffMime(Buffer.from([0x49, 0x49, 0x2a, 0x00, 1]))).toBe('image/tiff');
    expect(sniffMime(pdf)).toBe('application/pdf');
    expect(sniffMime(Buffer.from('GIF89a'))).toBeUndefined();
  });
});
