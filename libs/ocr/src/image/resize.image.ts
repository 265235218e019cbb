import type { Raster } from '../raster.ts';

/** Per-output-sample source span and weights of a 1-D resampling, flattened with a fixed tap count. */
interface Taps {
  start: Int32Array;
  weights: Float32Array;
  taps: number;
}

/**
 * Area averaging when shrinking (every source pixel counts, so thin strokes survive) and bilinear
 * interpolation when enlarging.
 */
function resampleTaps(srcLen: number, dstLen: number): Taps {
  const scale = srcLen / dstLen;
  if (scale > 1) {
    const taps = Math.ceil(scale) + 1;
    const start = new Int32Array(dstLen);
    const weights = new Float32Array(dstLen * taps);
    for (let i = 0; i < dstLen; i++) {
      const a = i * scale;
      const b = Math.min(srcLen, (i + 1) * scale);
      const s = Math.floor(a);
      start[i] = s;
      for (let k = 0; k < taps; k++) {
        const p = s + k;
        const overlap = Math.min(b, p + 1) - Math.max(a, p);
        if (overlap > 0 && p < srcLen) weights[i * taps + k] = overlap / (b - a);
      }
    }
    return { start, weights, taps };
  }
  const start = new Int32Array(dstLen);
  const weights = new Float32Array(dstLen * 2);
  for (let i = 0; i < dstLen; i++) {
    const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), srcLen - 1);
    const s = Math.min(Math.floor(x), Math.max(srcLen - 2, 0));
    const f = srcLen === 1 ? 0 : x - s;
    start[i] = s;
    weights[i * 2] = 1 - f;
    weights[i * 2 + 1] = f;
  }
  return { start, weights, taps: 2 };
}

/**
 * Resizes a raster to `width × height` and writes it as a planar float tensor [3, height, width]
 * in BGR order (PP-OCR models were trained on OpenCV's BGR), each channel mapped by
 * `(v / 255 - mean[c]) / std[c]`.
 */
export function resizeToTensor(
  src: Raster,
  width: number,
  height: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  out: Float32Array = new Float32Array(3 * width * height),
): Float32Array {
  // While the page is ≥ 1.75× the target, halve it with 2×2 boxes: exact area averaging, far
  // cheaper than wide filter taps; what remains is a mild resample.
  while (src.width >= 1.75 * width && src.height >= 1.75 * height) src = halve(src);
  const { data, width: sw, height: sh, channels } = src;
  const tx = resampleTaps(sw, width);
  const ty = resampleTaps(sh, height);
  // Colour planes are read as R, G, B (gray repeats); written to B, G, R planes.
  const nc = channels === 1 ? 1 : 3;
  const row = new Float32Array(sw * nc);
  const plane = width * height;
  const scaleC = [0, 1, 2].map((c) => 1 / (255 * std[c]!));
  const offC = [0, 1, 2].map((c) => mean[c]! / std[c]!);
  for (let oy = 0; oy < height; oy++) {
    row.fill(0);
    const ys = ty.start[oy]!;
    for (let k = 0; k < ty.taps; k++) {
      const w = ty.weights[oy * ty.taps + k]!;
      const y = ys + k;
      if (w === 0 || y >= sh) continue;
      let si = y * sw * channels;
      let di = 0;
      if (nc === 1) {
        for (let x = 0; x < sw; x++) row[di++]! += w * data[si++]!;
      } else {
        for (let x = 0; x < sw; x++, si += channels) {
          row[di++]! += w * data[si]!;
          row[di++]! += w * data[si + 1]!;
          row[di++]! += w * data[si + 2]!;
        }
      }
    }
    const base = oy * width;
    for (let ox = 0; ox < width; ox++) {
      const xs = tx.start[ox]!;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < tx.taps; k++) {
        const w = tx.weights[ox * tx.taps + k]!;
        if (w === 0) continue;
        const x = xs + k;
        if (nc === 1) {
          r += w * row[x]!;
        } else {
          r += w * row[x * 3]!;
          g += w * row[x * 3 + 1]!;
          b += w * row[x * 3 + 2]!;
        }
      }
      if (nc === 1) g = b = r;
      out[base + ox] = b * scaleC[0]! - offC[0]!;
      out[plane + base + ox] = g * scaleC[1]! - offC[1]!;
      out[2 * plane + base + ox] = r * scaleC[2]! - offC[2]!;
    }
  }
  return out;
}

/** Half-size image by averaging 2×2 blocks (colour kept, alpha dropped; odd edges clamp). */
export function halve(src: Raster): Raster {
  const { data, width: sw, height: sh, channels } = src;
  const nc = channels === 1 ? 1 : 3;
  const w = sw >> 1;
  const h = sh >> 1;
  const out = new Uint8Array(w * h * nc);
  const rowStride = sw * channels;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * rowStride;
    let b = a + rowStride;
    for (let x = 0; x < w; x++, a += 2 * channels, b += 2 * channels) {
      for (let c = 0; c < nc; c++) {
        out[o++] = (data[a + c]! + data[a + channels + c]! + data[b + c]! + data[b + channels + c]! + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h, channels: nc as 1 | 3 };
}

/**
 * `src` halved `halvings` times (2×2 box averages, the last one computed straight into floats)
 * and written at the top-left of a planar BGR tensor [3, height, width], each channel mapped by
 * `(v / 255 − mean[c]) / std[c]`; the columns and rows beyond the halved image repeat its last
 * column and row. For pages that halve to just under the detector size this replaces a resample
 * (a second full pass and a slight blur) with padding, and source coordinates are exactly
 * 2^halvings × tensor coordinates. Returns the size of the image part.
 */
export function halvedToTensor(
  src: Raster,
  halvings: number,
  width: number,
  height: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  out: Float32Array,
): { width: number; height: number } {
  for (let i = 1; i < halvings; i++) src = halve(src);
  const { data, width: sw, height: sh, channels } = src;
  const f = halvings > 0 ? 2 : 1;
  const w = Math.floor(sw / f);
  const h = Math.floor(sh / f);
  if (w > width || h > height || w < 1 || h < 1) throw new Error(`halvedToTensor: ${w}×${h} does not fit ${width}×${height}`);
  const plane = width * height;
  const samples = f * f;
  const [kb, kg, kr] = [0, 1, 2].map((c) => 1 / (samples * 255 * std[c]!)) as [number, number, number];
  const [ob, og, or] = [0, 1, 2].map((c) => mean[c]! / std[c]!) as [number, number, number];
  const rowStride = sw * channels;
  const step = f * channels;
  for (let y = 0; y < h; y++) {
    const r0 = f * y * rowStride;
    const r1 = r0 + (f - 1) * rowStride;
    const o = y * width;
    if (channels === 1) {
      for (let x = 0, a = r0, b = r1; x < w; x++, a += step, b += step) {
        const v = f === 2 ? data[a]! + data[a + 1]! + data[b]! + data[b + 1]! : data[a]!;
        out[o + x] = v * kb - ob;
        out[plane + o + x] = v * kg - og;
        out[2 * plane + o + x] = v * kr - or;
      }
    } else if (f === 2) {
      for (let x = 0, a = r0, b = r1; x < w; x++, a += step, b += step) {
        const c = a + channels;
        const d = b + channels;
        // Colour planes are read as R, G, B and written to B, G, R (PP-OCR was trained on BGR).
        out[o + x] = (data[a + 2]! + data[c + 2]! + data[b + 2]! + data[d + 2]!) * kb - ob;
        out[plane + o + x] = (data[a + 1]! + data[c + 1]! + data[b + 1]! + data[d + 1]!) * kg - og;
        out[2 * plane + o + x] = (data[a]! + data[c]! + data[b]! + data[d]!) * kr - or;
      }
    } else {
      for (let x = 0, a = r0; x < w; x++, a += step) {
        out[o + x] = data[a + 2]! * kb - ob;
        out[plane + o + x] = data[a + 1]! * kg - og;
        out[2 * plane + o + x] = data[a]! * kr - or;
      }
    }
    for (let p = 0; p < 3; p++) out.fill(out[p * plane + o + w - 1]!, p * plane + o + w, p * plane + o + width);
  }
  for (let p = 0; p < 3; p++) {
    const last = p * plane + (h - 1) * width;
    for (let y = h; y < height; y++) out.copyWithin(p * plane + y * width, last, last + width);
  }
  return { width: w, height: h };
}
