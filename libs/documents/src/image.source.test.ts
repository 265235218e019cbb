import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { openDocument } from './document.open.ts';
import { isDocumentError } from './document.errors.ts';
import type { DocumentLimitsInput } from './document.limits.ts';
import { inkBox, makeTextPng, meanAbsDiff } from './testing/index.ts';

async function refusal(bytes: Uint8Array, limits?: DocumentLimitsInput): Promise<string> {
  try {
    const doc = await openDocument(bytes, limits);
    await doc.renderPage(0);
    await doc.close();
    return 'no error';
  } catch (err) {
    return isDocumentError(err) ? err.code : `other: ${String(err)}`;
  }
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A well-formed PNG whose header claims width × height, with a tiny (wrong) image body. */
function forgedPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

describe('PNG and JPEG', () => {
  it('decodes a PNG to raw pixels at its declared dpi', async () => {
    const png = await sharp(await makeTextPng(['Hello PNG'])).withDensity(300).png().toBuffer();
    const doc = await openDocument(png);
    expect(doc).toMatchObject({ type: 'png', pageCount: 1 });
    const raster = await doc.renderPage(0);
    const meta = await sharp(png).metadata();
    expect(raster).toMatchObject({ width: meta.width, height: meta.height, channels: 3 });
    expect(raster.dpi).toBeCloseTo(300, 1);
    expect(inkBox(raster)).not.toBeNull();
  });

  it('reports 72 dpi when the image declares none', async () => {
    const jpeg = await sharp(await makeTextPng(['No density'])).jpeg().toBuffer();
    const raster = await (await openDocument(jpeg)).renderPage(0);
    expect(raster.dpi).toBe(72);
  });

  it('applies EXIF orientation: a JPEG stored sideways with orientation 6 comes out upright', async () => {
    const upright = await sharp(await makeTextPng(['Upright text line'])).jpeg({ quality: 95 }).toBuffer();
    // Orientation 6 = "rotate 90° clockwise to display", so store the pixels turned 90° counter-clockwise.
    const sideways = await sharp(upright).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const stored = await sharp(sideways).metadata();
    expect(stored.orientation).toBe(6);
    expect(stored.width!).toBeLessThan(stored.height!);

    const expected = await (await openDocument(upright)).renderPage(0);
    const actual = await (await openDocument(sideways)).renderPage(0);
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    expect(actual.width).toBeGreaterThan(actual.height);
    // Same picture up to JPEG noise; upside down it would differ by far more.
    expect(meanAbsDiff(actual, expected)).toBeLessThan(4);
  });

  it('flattens transparency onto white so dark-on-transparent text stays readable', async () => {
    const { data, info } = await sharp(await makeTextPng(['Alpha'])).raw().toBuffer({ resolveWithObject: true });
    // Black text on a fully transparent background: colour 0, alpha = 255 - original grey.
    const rgba = Buffer.alloc(info.width * info.height * 4);
    for (let p = 0; p < info.width * info.height; p++) rgba[p * 4 + 3] = 255 - data[p * info.channels]!;
    const png = await sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
    const raster = await (await openDocument(png)).renderPage(0);
    expect(raster.channels).toBe(3);
    expect(raster.data[0]).toBe(255);
    expect(inkBox(raster)).not.toBeNull();
  });

  it('keeps grey images as one channel, also from 16-bit', async () => {
    const grey16 = await sharp(await makeTextPng(['Grey'])).toColourspace('grey16').png().toBuffer();
    const raster = await (await openDocument(grey16)).renderPage(0);
    expect(raster.channels).toBe(1);
    expect(raster.data.length).toBe(raster.width * raster.height);
    expect(inkBox(raster)).not.toBeNull();
  });

  it('converts CMYK JPEG to RGB', async () => {
    const cmyk = await sharp(await makeTextPng(['CMYK'])).toColourspace('cmyk').jpeg().toBuffer();
    const raster = await (await openDocument(cmyk)).renderPage(0);
    expect(raster.channels).toBe(3);
    expect(raster.data[0]).toBeGreaterThan(240);
  });
});

describe('multi-page TIFF', () => {
  it('exposes every page of a 3-page TIFF as a page', async () => {
    const lines = ['One', 'Two two', 'Three three three'];
    const pages = await Promise.all(lines.map(async (l) => Buffer.from(await makeTextPng([l], { width: 600 }))));
    const tiff = await sharp(pages, { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const doc = await openDocument(tiff);
    expect(doc).toMatchObject({ type: 'tiff', pageCount: 3 });
    const widths: number[] = [];
    for (let i = 0; i < 3; i++) {
      const raster = await doc.renderPage(i);
      expect(raster).toMatchObject({ width: 600, height: 144 });
      const box = inkBox(raster)!;
      widths.push(box.right - box.left);
    }
    await doc.close();
    expect(widths[0]).toBeLessThan(widths[1]!);
    expect(widths[1]).toBeLessThan(widths[2]!);
    await expect(doc.renderPage(0)).rejects.toThrow(/closed/);
  });

  it('refuses a TIFF with more pages than maxPages', async () => {
    const page = Buffer.from(await makeTextPng(['p']));
    const tiff = await sharp([page, page, page], { join: { animated: true } }).tiff().toBuffer();
    expect(await refusal(tiff, { maxPages: 2 })).toBe('too_many_pages');
  });
});

describe('decompression bombs and damage', () => {
  it('refuses a PNG whose header claims 100000×100000 without allocating it', async () => {
    const before = process.memoryUsage().rss;
    expect(await refusal(forgedPng(100_000, 100_000))).toBe('too_many_pixels');
    // 10 gigapixels would need 30 GB; a refusal from the header costs nothing measurable.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    await expect(openDocument(forgedPng(100_000, 100_000))).rejects.toThrow(
      'Page 1 is 100000×100000 pixels (10000.0 megapixels); the limit is 100.0 megapixels per page.',
    );
  });

  it('applies the configured pixel limit to real images too', async () => {
    const png = await makeTextPng(['Small but over a tiny limit']);
    expect(await refusal(png, { maxPagePixels: 1000 })).toBe('too_many_pixels');
  });

  it('reports a PNG whose header is fine but whose data is not as corrupt', async () => {
    expect(await refusal(forgedPng(2000, 2000), { maxPagePixels: 1e11 })).toBe('corrupt');
  });

  it('reports an image cut off inside its header as corrupt', async () => {
    const png = await makeTextPng(['x']);
    expect(await refusal(png.slice(0, 20))).toBe('corrupt');
  });
});
