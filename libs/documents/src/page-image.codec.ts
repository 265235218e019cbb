import type { Raster } from './document.types.ts';
import { encodePng } from './raster.codec.ts';
import { neutralGray } from './raster.gray.ts';

export interface PageImageOptions {
  /** zlib level 0–9 of the PNG. @defaultValue 1 (the image is written once and read once, by recognize) */
  compressionLevel?: number;
}

/**
 * A rendered page as stored between render and recognize: PNG (dpi in pHYs), one channel when the
 * page is neutral gray (see `neutralGray`), fast compression. `decodeImage` reads it back.
 */
export function encodePageImage(raster: Raster, options: PageImageOptions = {}): Promise<Buffer> {
  return encodePng(neutralGray(raster) ?? raster, { compressionLevel: options.compressionLevel ?? 1 });
}
