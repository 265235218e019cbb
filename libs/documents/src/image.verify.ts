import sharp from 'sharp';
import { resolveLimits, type DocumentLimitsInput } from './document.limits.ts';
import { documentErrors } from './document.errors.ts';
import type { DocumentType } from './document.types.ts';
import { openDocument } from './document.open.ts';

/** Longest side of the throwaway decode: every pixel is read, few are kept. */
const CHECK_SIDE = 64;

/**
 * Checks that bytes are an image that decodes all the way through, as a training image must be:
 * the headers (type, declared size, page count, limits, as `openDocument`) and then every pixel
 * of every page, decoded into a small thumbnail so memory stays low. Stricter than the OCR path:
 * a truncated image, which OCR would read as far as it goes, is refused here.
 * Throws `DocumentError` (`corrupt`, `too_many_pixels`, `too_many_pages`, ...); a PDF is
 * `unsupported_type`. @returns the image type.
 */
export async function verifyImage(bytes: Uint8Array, limits?: DocumentLimitsInput): Promise<Exclude<DocumentType, 'pdf'>> {
  const resolved = resolveLimits(limits);
  const doc = await openDocument(bytes, resolved);
  const { type, pageCount } = doc;
  await doc.close();
  if (type === 'pdf') throw documentErrors.unsupportedType('a PDF is not an image');
  for (let page = 0; page < pageCount; page++) {
    try {
      await sharp(bytes, { limitInputPixels: resolved.maxPagePixels, failOn: 'truncated', ...(type === 'tiff' ? { page } : {}) })
        .resize(CHECK_SIDE, CHECK_SIDE, { fit: 'inside' })
        .raw()
        .toBuffer();
    } catch (err) {
      if (/pixel limit/i.test(err instanceof Error ? err.message : '')) throw documentErrors.tooManyPixels(page, 0, 0, resolved.maxPagePixels, err);
      throw documentErrors.corrupt(type, err);
    }
  }
  return type;
}

/** Pixel size of an image as the engine sees it (EXIF orientation applied): annotation boxes are in these pixels. */
export async function imageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return turned ? { width: height, height: width } : { width, height };
}
