import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodeImage, encodePng } from './raster.codec.ts';
import { openDocument } from './document.open.ts';
import { sniffDocumentType } from './document.sniff.ts';
import { isDocumentError } from './document.errors.ts';
import type { Raster } from './document.types.ts';
import { makeTextPdf, makeTextRaster } from './testing/index.ts';

function dropAlpha(r: Raster): Uint8Array {
  const out = new Uint8Array(r.width * r.height * 3);
  for (let i = 0, j = 0; i < r.data.length; i += 4, j += 3) out.set(r.data.subarray(i, i + 3), j);
  return out;
}

describe('encodePng / decodeImage', () => {
  it('round-trips a rendered PDF page losslessly, storing opaque RGBA as RGB with its dpi', async () => {
    const doc = await openDocument(makeTextPdf([['Round trip through PNG']]));
    const page = await doc.renderPage(0, { dpi: 200 });
    await doc.close();
    const png = await encodePng(page);
    expect(sniffDocumentType(png)).toBe('png');
    expect((await sharp(png).metadata()).channels).toBe(3);
    const back = await decodeImage(png);
    expect(back).toMatchObject({ width: page.width, height: page.height, channels: 3, dpi: 200 });
    expect(Buffer.compare(back.data, dropAlpha(page))).toBe(0);
  });

  it('keeps a grey raster grey', async () => {
    const rgba = makeTextRaster(['grey'], { dpi: 150 });
    const grey: Raster = { ...rgba, channels: 1, data: rgba.data.filter((_, i) => i % 4 === 0) };
    const back = await decodeImage(await encodePng(grey));
    expect(back).toMatchObject({ channels: 1, width: grey.width, height: grey.height, dpi: 150 });
    expect(Buffer.compare(back.data, grey.data)).toBe(0);
  });

  it('keeps real transparency in the PNG', async () => {
    const raster: Raster = { data: Uint8Array.from([0, 0, 0, 0, 255, 0, 0, 255]), width: 2, height: 1, channels: 4, dpi: 72 };
    const meta = await sharp(await encodePng(raster)).metadata();
    expect(meta.channels).toBe(4);
  });

  it('refuses a raster whose data does not match its shape', async () => {
    await expect(encodePng({ data: new Uint8Array(5), width: 2, height: 2, channels: 3, dpi: 72 })).rejects.toThrow(RangeError);
  });

  it('refuses a PDF in decodeImage', async () => {
    const err = await decodeImage(makeTextPdf([['x']])).catch((e: unknown) => e);
    expect(isDocumentError(err) && err.code).toBe('unsupported_type');
  });
});
