import type { Rotation } from '../page.ts';
import type { Raster } from '../raster.ts';

/**
 * The upright page of a source page stored turned `rotation` degrees clockwise: the pixels turned
 * back, so a turned page is detected and read exactly as its upright self. Pixel (x, y) of the
 * result is the source pixel that geometry's `fromUpright` maps the pixel's centre to.
 */
export function turnUpright(page: Raster, rotation: Rotation): Raster {
  if (rotation === 0) return page;
  const { width: W, height: H, channels: C } = page;
  const upW = rotation === 180 ? W : H;
  const upH = rotation === 180 ? H : W;
  const src = page.data;
  const out = new Uint8Array(upW * upH * C);
  for (let uy = 0; uy < upH; uy++) {
    for (let ux = 0; ux < upW; ux++) {
      let x: number;
      let y: number;
      if (rotation === 90) {
        x = W - 1 - uy;
        y = ux;
      } else if (rotation === 180) {
        x = W - 1 - ux;
        y = H - 1 - uy;
      } else {
        x = uy;
        y = H - 1 - ux;
      }
      const s = (y * W + x) * C;
      const d = (uy * upW + ux) * C;
      for (let c = 0; c < C; c++) out[d + c] = src[s + c]!;
    }
  }
  return { data: out, width: upW, height: upH, channels: C, ...(page.dpi !== undefined ? { dpi: page.dpi } : {}) };
}
