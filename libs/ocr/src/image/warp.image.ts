import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';

/**
 * Samples the region inside `quad` (clockwise from the text's top-left, source pixels) into a
 * `width × height` window of a planar BGR tensor scaled to [-1, 1] (PP-OCR rec/cls input), starting
 * at `offset` with plane stride `planeStride` and row stride `rowStride`. Bilinear sampling with
 * edge replication; when the region shrinks by more than 1.5× each output pixel averages an n×n
 * grid of samples so thin strokes do not alias away.
 */
export function warpQuadToTensor(
  src: Raster,
  quad: Quad,
  out: Float32Array,
  offset: number,
  width: number,
  height: number,
  rowStride: number,
  planeStride: number,
): void {
  const { data, width: sw, height: sh, channels } = src;
  const [p0, p1, p2, p3] = quad;
  const srcW = Math.max(Math.hypot(p1[0] - p0[0], p1[1] - p0[1]), Math.hypot(p2[0] - p3[0], p2[1] - p3[1]));
  const srcH = Math.max(Math.hypot(p3[0] - p0[0], p3[1] - p0[1]), Math.hypot(p2[0] - p1[0], p2[1] - p1[1]));
  const shrink = Math.max(srcW / width, srcH / height);
  const n = shrink > 1.5 ? Math.min(4, Math.round(shrink)) : 1;
  const inv = 1 / (n * n);
  const maxX = sw - 1;
  const maxY = sh - 1;
  const gray = channels === 1;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sj = 0; sj < n; sj++) {
        const v = (j + (sj + 0.5) / n) / height;
        for (let si = 0; si < n; si++) {
          const u = (i + (si + 0.5) / n) / width;
          // Bilinear position inside the quad, then pixel-centre convention (-0.5).
          const tx = p0[0] + (p1[0] - p0[0]) * u;
          const ty = p0[1] + (p1[1] - p0[1]) * u;
          const bx = p3[0] + (p2[0] - p3[0]) * u;
          const by = p3[1] + (p2[1] - p3[1]) * u;
          let x = tx + (bx - tx) * v - 0.5;
          let y = ty + (by - ty) * v - 0.5;
          if (x < 0) x = 0;
          else if (x > maxX) x = maxX;
          if (y < 0) y = 0;
          else if (y > maxY) y = maxY;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const x1 = x0 < maxX ? x0 + 1 : x0;
          const y1 = y0 < maxY ? y0 + 1 : y0;
          const fx = x - x0;
          const fy = y - y0;
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          const i00 = (y0 * sw + x0) * channels;
          const i01 = (y0 * sw + x1) * channels;
          const i10 = (y1 * sw + x0) * channels;
          const i11 = (y1 * sw + x1) * channels;
          const rr = w00 * data[i00]! + w01 * data[i01]! + w10 * data[i10]! + w11 * data[i11]!;
          if (gray) {
            r += rr;
          } else {
            r += rr;
            g += w00 * data[i00 + 1]! + w01 * data[i01 + 1]! + w10 * data[i10 + 1]! + w11 * data[i11 + 1]!;
            b += w00 * data[i00 + 2]! + w01 * data[i01 + 2]! + w10 * data[i10 + 2]! + w11 * data[i11 + 2]!;
          }
        }
      }
      if (gray) g = b = r;
      const o = offset + j * rowStride + i;
      out[o] = (b * inv) / 127.5 - 1;
      out[o + planeStride] = (g * inv) / 127.5 - 1;
      out[o + 2 * planeStride] = (r * inv) / 127.5 - 1;
    }
  }
}
