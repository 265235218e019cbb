import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';

/**
 * Samples the region inside `quad` (clockwise from the text's top-left, source pixels) into a
 * `width × height` window of a planar BGR tensor scaled to [-1, 1] (PP-OCR rec/cls input), starting
 * at `offset` with plane stride `planeStride` and row stride `rowStride`. Bilinear sampling with
 * edge replication; when the region shrinks by more than 1.5× each output pixel averages an n×n
 * grid of samples (n ≤ `maxSamples`) so thin strokes do not alias away.
 *
 * The quad is mapped bilinearly (exact for the detector's rectangles, close for mild perspective):
 * along an output row the source position moves by a constant step, so it is stepped, not recomputed.
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
  maxSamples = 4,
): void {
  const { data, width: sw, height: sh, channels } = src;
  const [p0, p1, p2, p3] = quad;
  const srcW = Math.max(Math.hypot(p1[0] - p0[0], p1[1] - p0[1]), Math.hypot(p2[0] - p3[0], p2[1] - p3[1]));
  const srcH = Math.max(Math.hypot(p3[0] - p0[0], p3[1] - p0[1]), Math.hypot(p2[0] - p1[0], p2[1] - p1[1]));
  const shrink = Math.max(srcW / width, srcH / height);
  const n = shrink > 1.5 ? Math.min(maxSamples, Math.round(shrink)) : 1;
  const flat = (a: number, b: number) => Math.abs(a - b) < 1e-3;
  if (flat(p0[1], p1[1]) && flat(p3[1], p2[1]) && flat(p0[0], p3[0]) && flat(p1[0], p2[0])) {
    warpRect(src, p0[0], p1[0], p0[1], p3[1], out, offset, width, height, rowStride, planeStride, n);
    return;
  }
  const inv = 1 / (n * n * 127.5);
  const maxX = sw - 1;
  const maxY = sh - 1;
  const gray = channels === 1;
  const stepU = 1 / (width * n);
  for (let j = 0; j < height; j++) {
    const o = offset + j * rowStride;
    // Sub-samples accumulate into the row.
    clearRow(out, o, width, planeStride);
    for (let sj = 0; sj < n; sj++) {
      const v = (j + (sj + 0.5) / n) / height;
      // Left and right edges of this sample row: the row is the segment between them.
      const lx = p0[0] + (p3[0] - p0[0]) * v - 0.5;
      const ly = p0[1] + (p3[1] - p0[1]) * v - 0.5;
      const rx = p1[0] + (p2[0] - p1[0]) * v - 0.5;
      const ry = p1[1] + (p2[1] - p1[1]) * v - 0.5;
      const dx = (rx - lx) * stepU;
      const dy = (ry - ly) * stepU;
      let x = lx + dx * 0.5;
      let y = ly + dy * 0.5;
      for (let i = 0; i < width; i++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let si = 0; si < n; si++, x += dx, y += dy) {
          const cx = x < 0 ? 0 : x > maxX ? maxX : x;
          const cy = y < 0 ? 0 : y > maxY ? maxY : y;
          const x0 = cx | 0;
          const y0 = cy | 0;
          const fx = cx - x0;
          const fy = cy - y0;
          const x1 = x0 < maxX ? 1 : 0;
          const y1 = y0 < maxY ? sw : 0;
          const i00 = (y0 * sw + x0) * channels;
          const i01 = i00 + x1 * channels;
          const i10 = i00 + y1 * channels;
          const i11 = i10 + x1 * channels;
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          r += w00 * data[i00]! + w01 * data[i01]! + w10 * data[i10]! + w11 * data[i11]!;
          if (!gray) {
            g += w00 * data[i00 + 1]! + w01 * data[i01 + 1]! + w10 * data[i10 + 1]! + w11 * data[i11 + 1]!;
            b += w00 * data[i00 + 2]! + w01 * data[i01 + 2]! + w10 * data[i10 + 2]! + w11 * data[i11 + 2]!;
          }
        }
        if (gray) g = b = r;
        out[o + i]! += b;
        out[o + i + planeStride]! += g;
        out[o + i + 2 * planeStride]! += r;
      }
    }
    scaleRow(out, o, width, planeStride, inv);
  }
}

/** Zeroes one output row in all three planes. */
function clearRow(out: Float32Array, o: number, width: number, planeStride: number): void {
  out.fill(0, o, o + width);
  out.fill(0, o + planeStride, o + planeStride + width);
  out.fill(0, o + 2 * planeStride, o + 2 * planeStride + width);
}

/** Maps one row of accumulated samples (sum of n² bytes × `inv`) to [-1, 1] in all three planes. */
function scaleRow(out: Float32Array, o: number, width: number, planeStride: number, inv: number): void {
  for (let i = 0; i < width; i++) {
    out[o + i] = out[o + i]! * inv - 1;
    out[o + i + planeStride] = out[o + i + planeStride]! * inv - 1;
    out[o + i + 2 * planeStride] = out[o + i + 2 * planeStride]! * inv - 1;
  }
}

/**
 * warpQuadToTensor for a quad whose top and bottom edges are horizontal and sides vertical (most
 * detector boxes): the same sample positions, but separable, so each column's source offset and
 * weight are computed once per crop instead of once per pixel.
 */
function warpRect(
  src: Raster,
  left: number,
  right: number,
  top: number,
  bottom: number,
  out: Float32Array,
  offset: number,
  width: number,
  height: number,
  rowStride: number,
  planeStride: number,
  n: number,
): void {
  const { data, width: sw, height: sh, channels } = src;
  const maxX = sw - 1;
  const maxY = sh - 1;
  const cols = width * n;
  const xOff = new Int32Array(cols);
  const xNext = new Int32Array(cols);
  const xFrac = new Float32Array(cols);
  for (let k = 0; k < cols; k++) {
    const x = left + ((right - left) * (k + 0.5)) / cols - 0.5;
    const cx = x < 0 ? 0 : x > maxX ? maxX : x;
    const x0 = cx | 0;
    xOff[k] = x0 * channels;
    xNext[k] = x0 < maxX ? channels : 0;
    xFrac[k] = cx - x0;
  }
  const inv = 1 / (n * n * 127.5);
  const gray = channels === 1;
  const rowBytes = sw * channels;
  for (let j = 0; j < height; j++) {
    const o = offset + j * rowStride;
    clearRow(out, o, width, planeStride);
    for (let sj = 0; sj < n; sj++) {
      const y = top + ((bottom - top) * (j + (sj + 0.5) / n)) / height - 0.5;
      const cy = y < 0 ? 0 : y > maxY ? maxY : y;
      const y0 = cy | 0;
      const fy = cy - y0;
      const r0 = y0 * rowBytes;
      const r1 = y0 < maxY ? r0 + rowBytes : r0;
      for (let i = 0, k = 0; i < width; i++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let si = 0; si < n; si++, k++) {
          const fx = xFrac[k]!;
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          const i00 = r0 + xOff[k]!;
          const i01 = i00 + xNext[k]!;
          const i10 = r1 + xOff[k]!;
          const i11 = i10 + xNext[k]!;
          r += w00 * data[i00]! + w01 * data[i01]! + w10 * data[i10]! + w11 * data[i11]!;
          if (!gray) {
            g += w00 * data[i00 + 1]! + w01 * data[i01 + 1]! + w10 * data[i10 + 1]! + w11 * data[i11 + 1]!;
            b += w00 * data[i00 + 2]! + w01 * data[i01 + 2]! + w10 * data[i10 + 2]! + w11 * data[i11 + 2]!;
          }
        }
        if (gray) g = b = r;
        out[o + i]! += b;
        out[o + i + planeStride]! += g;
        out[o + i + 2 * planeStride]! += r;
      }
    }
    scaleRow(out, o, width, planeStride, inv);
  }
}
