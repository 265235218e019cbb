/** A box in page pixels, top-left origin. */
export interface PixelBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * Why a box cannot lie on a page of `size` pixels, or null when it can: coordinates must be
 * non-negative integers, `xmin < xmax`, `ymin < ymax`, and the box must end inside the page
 * (`xmax <= width`, `ymax <= height`; a null size skips that bound, for pages never measured).
 */
export function boxProblem(box: PixelBox, size: { width: number | null; height: number | null }): string | null {
  for (const key of ['xmin', 'ymin', 'xmax', 'ymax'] as const) {
    const v = box[key];
    if (!Number.isInteger(v)) return `${key} must be an integer number of pixels, got ${String(v)}.`;
    if (v < 0) return `${key} must not be negative, got ${v}.`;
  }
  if (box.xmin >= box.xmax) return `xmin (${box.xmin}) must be less than xmax (${box.xmax}).`;
  if (box.ymin >= box.ymax) return `ymin (${box.ymin}) must be less than ymax (${box.ymax}).`;
  if (size.width !== null && box.xmax > size.width) return `xmax (${box.xmax}) lies outside the page (width ${size.width} px).`;
  if (size.height !== null && box.ymax > size.height) return `ymax (${box.ymax}) lies outside the page (height ${size.height} px).`;
  return null;
}
