import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isDocumentError } from './document.errors.ts';
import { verifyImage } from './image.verify.ts';
import { forgedPng, garbageAfter, makeTextPdf, makeTextPng } from './testing/index.ts';

async function refusal(bytes: Uint8Array, limits?: Parameters<typeof verifyImage>[1]): Promise<string> {
  try {
    return `accepted ${await verifyImage(bytes, limits)}`;
  } catch (err) {
    return isDocumentError(err) ? err.code : `other: ${String(err)}`;
  }
}

describe('verifyImage', () => {
  it('accepts whole PNG, JPEG and multi-page TIFF images', async () => {
    const png = await makeTextPng(['A training image', 'with two lines']);
    const jpeg = await sharp(png).jpeg().toBuffer();
    const tiff = await sharp([Buffer.from(png), Buffer.from(png)], { join: { animated: true } }).tiff().toBuffer();
    expect(await refusal(png)).toBe('accepted png');
    expect(await refusal(jpeg)).toBe('accepted jpeg');
    expect(await refusal(tiff)).toBe('accepted tiff');
  });

  it('refuses a header over garbage, a truncated image and a header alone as corrupt', async () => {
    const png = await makeTextPng(['A training image', 'with two lines']);
    const jpeg = new Uint8Array(await sharp(png).jpeg().toBuffer());
    expect(await refusal(garbageAfter(png, 100))).toBe('corrupt');
    expect(await refusal(garbageAfter(jpeg, 300))).toBe('corrupt');
    expect(await refusal(png.slice(0, Math.floor(png.length * 0.6)))).toBe('corrupt');
    expect(await refusal(jpeg.slice(0, Math.floor(jpeg.length * 0.6)))).toBe('corrupt');
    expect(await refusal(Buffer.from('\x89PNG\r\n\x1a\n truncated', 'latin1'))).toBe('corrupt');
    expect(await refusal(Buffer.from('\xFF\xD8\xFF\xE0 truncated', 'latin1'))).toBe('corrupt');
  });

  it('refuses bombs by their declared size and PDFs by type, decoding nothing', async () => {
    expect(await refusal(forgedPng(100_000, 100_000))).toBe('too_many_pixels');
    expect(await refusal(forgedPng(2_000, 2_000), { maxPagePixels: 1e11 })).toBe('corrupt');
    expect(await refusal(makeTextPdf([['a pdf']]))).toBe('unsupported_type');
    expect(await refusal(new Uint8Array(0))).toBe('empty');
  });
});
