import sharp from 'sharp';
import type { DocumentLimitsInput } from './document.limits.ts';
import type { Raster } from './document.types.ts';
import { documentErrors } from './document.errors.ts';
import { openDocument } from './document.open.ts';

export interface EncodePngOptions {
  /** zlib level 0–9: lower is faster and larger. Page images are written once and read once. @defaultValue 3 */
  compressionLevel?: number;
}

function alphaIsOpaque(raster: Raster): boolean {
  const { data } = raster;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/**
 * PNG bytes of a raster, with its dpi in the pHYs chunk so `decodeImage` gives it back.
 * An RGBA raster whose alpha is all opaque (every rendered PDF page) is stored as RGB.
 */
export async function encodePng(raster: Raster, options: EncodePngOptions = {}): Promise<Buffer> {
  const { width, height, channels } = raster;
  if (raster.data.length !== width * height * channels) {
    throw new RangeError(`Raster data holds ${raster.data.length} bytes, expected ${width}×${height}×${channels}.`);
  }
  let pipeline = sharp(raster.data, { raw: { width, height, channels }, limitInputPixels: false });
  if (channels === 4 && alphaIsOpaque(raster)) pipeline = pipeline.removeAlpha();
  // Without this sharp widens one-channel input to RGB on output: three times the bytes.
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  return pipeline
    .withDensity(raster.dpi)
    .png({ compressionLevel: options.compressionLevel ?? 3 })
    .toBuffer();
}

/**
 * Decodes a PNG, JPEG or TIFF (its first page) to a raster, applying EXIF orientation.
 * The dpi is the one the file declares, rounded to 0.01 (pHYs stores pixels per metre), else 72.
 * Throws `DocumentError` like `openDocument`; a PDF is `unsupported_type` here.
 */
export async function decodeImage(bytes: Uint8Array, limits?: DocumentLimitsInput): Promise<Raster> {
  const source = await openDocument(bytes, limits);
  try {
    if (source.type === 'pdf') throw documentErrors.unsupportedType('a PDF is not an image');
    const raster = await source.renderPage(0);
    return { ...raster, dpi: Math.round(raster.dpi * 100) / 100 };
  } finally {
    await source.close();
  }
}
