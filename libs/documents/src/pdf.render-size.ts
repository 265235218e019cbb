import type { DocumentLimits } from './document.limits.ts';

/** Default PDF render resolution, matching the service's `RENDER_DPI`. */
export const DEFAULT_RENDER_DPI = 300;

export interface RenderSize {
  dpi: number;
  width: number;
  height: number;
}

/**
 * The raster size of a `widthPt × heightPt` page (points, 1/72 in) at `requestedDpi`,
 * clamped to `maxRenderDpi` and lowered until it fits `maxPagePixels`. `null` when it only
 * fits below `minRenderDpi` (an absurd page, refused by the caller).
 */
export function planRenderSize(
  widthPt: number,
  heightPt: number,
  requestedDpi: number,
  limits: Pick<DocumentLimits, 'maxRenderDpi' | 'maxPagePixels' | 'minRenderDpi'>,
): RenderSize | null {
  const sizeAt = (dpi: number): RenderSize => ({
    dpi,
    width: Math.max(1, Math.ceil((widthPt * dpi) / 72)),
    height: Math.max(1, Math.ceil((heightPt * dpi) / 72)),
  });
  let size = sizeAt(Math.min(requestedDpi, limits.maxRenderDpi));
  if (size.width * size.height > limits.maxPagePixels) {
    // Area scales with dpi², so the square root gives the fitting dpi; floor to a whole dpi
    // and step down for the pixels `ceil` adds at the edges.
    let dpi = Math.floor(size.dpi * Math.sqrt(limits.maxPagePixels / (size.width * size.height)));
    size = sizeAt(dpi);
    while (size.width * size.height > limits.maxPagePixels && dpi > 1) size = sizeAt(--dpi);
  }
  return size.dpi < limits.minRenderDpi ? null : size;
}
