import type { Raster } from '../document.types.ts';

/** Bounding box (inclusive) of the dark pixels of a raster, or null when it is blank. */
export function inkBox(
  raster: Raster,
  threshold = 128,
): { left: number; top: number; right: number; bottom: number } | null {
  const { data, width, height, channels } = raster;
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The first sample (red or grey) is enough for black-on-white test pages.
      if (data[(y * width + x) * channels]! < threshold) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, right, bottom };
}

/** Mean absolute difference of two rasters of the same size and channel count, 0–255. */
export function meanAbsDiff(a: Raster, b: Raster): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new RangeError(`Rasters differ in shape: ${a.width}×${a.height}×${a.channels} vs ${b.width}×${b.height}×${b.channels}`);
  }
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}
