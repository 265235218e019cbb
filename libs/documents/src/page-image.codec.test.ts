import { describe, expect, it } from 'vitest';
import type { Raster } from './document.types.ts';
import { encodePageImage } from './page-image.codec.ts';
import { neutralGray } from './raster.gray.ts';
import { decodeImage } from './raster.codec.ts';

/** A 64×40 RGBA page: white with a gray gradient band, optionally one coloured pixel. */
function page(colour = false): Raster {
  const width = 64;
  const height = 40;
  const data = new Uint8Array(width * height * 4).fill(255);
  for (let y = 10; y < 30; y++)
    for (let x = 0; x < width; x++) data.fill(x * 4, (y * width + x) * 4, (y * width + x) * 4 + 3);
  if (colour) data[(35 * width + 5) * 4 + 1] = 0;
  return { data, width, height, channels: 4, dpi: 300 };
}

describe('encodePageImage', () => {
  it('stores a neutral page with one channel, losslessly, with its dpi', async () => {
    const src = page();
    const back = await decodeImage(await encodePageImage(src));
    expect(back).toMatchObject({ width: 64, height: 40, channels: 1, dpi: 300 });
    for (let i = 0; i < 64 * 40; i++) expect(back.data[i]).toBe(src.data[i * 4]);
  });

  it('keeps colour pages in colour, and pages with transparency out of gray', async () => {
    const back = await decodeImage(await encodePageImage(page(true)));
    expect(back.channels).toBe(3);
    expect(back.data[(35 * 64 + 5) * 3 + 1]).toBe(0);
    const seeThrough = page();
    seeThrough.data[3] = 128;
    expect(neutralGray(seeThrough)).toBeUndefined();
  });

  it('reads RGB rasters and unaligned views too', () => {
    const rgb: Raster = { data: new Uint8Array([10, 10, 10, 200, 200, 200]), width: 2, height: 1, channels: 3, dpi: 72 };
    expect(Array.from(neutralGray(rgb)!.data)).toEqual([10, 200]);
    const buf = new Uint8Array(9);
    buf.set([0, 7, 7, 7, 255, 9, 9, 9, 255]);
    const rgba: Raster = { data: buf.subarray(1), width: 2, height: 1, channels: 4, dpi: 72 };
    expect(Array.from(neutralGray(rgba)!.data)).toEqual([7, 9]);
  });
});

describe('renderPage with grayWhenNeutral', () => {
  it('gives a black-on-white PDF page as one channel, the same pixels as the RGBA render', async () => {
    const { openDocument } = await import('./document.open.ts');
    const { makeTextPdf } = await import('./testing/index.ts');
    const doc = await openDocument(makeTextPdf([['Gray is enough for text']]));
    try {
      const rgba = await doc.renderPage(0, { dpi: 100 });
      const gray = await doc.renderPage(0, { dpi: 100, grayWhenNeutral: true });
      expect(rgba.channels).toBe(4);
      expect(gray).toMatchObject({ channels: 1, width: rgba.width, height: rgba.height, dpi: rgba.dpi });
      let diff = 0;
      for (let i = 0; i < gray.width * gray.height; i++) diff += gray.data[i] === rgba.data[i * 4] ? 0 : 1;
      expect(diff).toBe(0);
      expect(gray.data.some((v) => v < 128)).toBe(true);
    } finally {
      await doc.close();
    }
  });
});
