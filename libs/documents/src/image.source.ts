import sharp, { type Metadata, type SharpOptions } from 'sharp';
import type { DocumentLimits } from './document.limits.ts';
import type { DocumentSource, DocumentType, Raster } from './document.types.ts';
import { documentErrors, pageOutOfRange } from './document.errors.ts';

type ImageType = Exclude<DocumentType, 'pdf'>;

/** Resolution assumed when an image does not declare one (the CSS/PDF convention). */
export const DEFAULT_IMAGE_DPI = 72;

function inputOptions(type: ImageType, page: number, limits: DocumentLimits): SharpOptions {
  return {
    // libvips refuses to decode more pixels than this: the second guard behind the header check.
    limitInputPixels: limits.maxPagePixels,
    // Abort on decode errors, but not on the warnings many real-world files raise.
    failOn: 'error',
    ...(type === 'tiff' ? { page } : {}),
  };
}

async function readMetadata(bytes: Uint8Array, type: ImageType, page: number, limits: DocumentLimits): Promise<Metadata> {
  try {
    // metadata() parses headers only and decodes no pixel, so the pixel limit is lifted here
    // (libvips would otherwise report a bomb as a generic failure) and applied just after.
    return await sharp(bytes, { ...inputOptions(type, page, limits), limitInputPixels: false }).metadata();
  } catch (err) {
    throw documentErrors.corrupt(type, err);
  }
}

/** Refuses a page on the size its header declares, before a byte of pixels is allocated. */
function checkDeclaredSize(meta: Metadata, page: number, limits: DocumentLimits, type: ImageType): void {
  const { width, height } = meta;
  if (!width || !height) throw documentErrors.corrupt(type);
  if (width * height > limits.maxPagePixels) throw documentErrors.tooManyPixels(page, width, height, limits.maxPagePixels);
}

/**
 * Decodes one page to 8-bit raw pixels: EXIF orientation applied, alpha flattened onto white
 * (transparent text backgrounds would otherwise turn black), grey kept as one channel.
 */
async function decodePage(bytes: Uint8Array, type: ImageType, page: number, limits: DocumentLimits): Promise<Raster> {
  const meta = await readMetadata(bytes, type, page, limits);
  checkDeclaredSize(meta, page, limits, type);
  const grey = meta.channels !== undefined && meta.channels <= 2 && meta.space !== 'cmyk';
  let pipeline = sharp(bytes, inputOptions(type, page, limits)).rotate();
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  pipeline = pipeline.toColourspace(grey ? 'b-w' : 'srgb');
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`unexpected ${channels} channels`);
    return { data, width: info.width, height: info.height, channels, dpi: meta.density ?? DEFAULT_IMAGE_DPI };
  } catch (err) {
    if (/pixel limit/i.test(err instanceof Error ? err.message : '')) {
      throw documentErrors.tooManyPixels(page, meta.width ?? 0, meta.height ?? 0, limits.maxPagePixels, err);
    }
    throw documentErrors.corrupt(type, err);
  }
}

/** Opens a PNG, JPEG or TIFF; every TIFF page (IFD) is a page. */
export async function openImage(bytes: Uint8Array, type: ImageType, limits: DocumentLimits): Promise<DocumentSource> {
  const meta = await readMetadata(bytes, type, 0, limits);
  const pageCount = type === 'tiff' ? (meta.pages ?? 1) : 1;
  if (pageCount > limits.maxPages) throw documentErrors.tooManyPages(pageCount, limits.maxPages);
  // Refuse at open what the first page declares, so an upload fails before it is queued.
  checkDeclaredSize(meta, 0, limits, type);
  let closed = false;
  return {
    type,
    pageCount,
    async renderPage(index) {
      if (closed) throw new Error('The document is closed.');
      if (!Number.isInteger(index) || index < 0 || index >= pageCount) throw pageOutOfRange(index, pageCount);
      return decodePage(bytes, type, index, limits);
    },
    async close() {
      closed = true;
    },
  };
}

