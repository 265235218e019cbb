import type { DecodedChar } from './ctc.decode.ts';

/** Where ink starts in a crop tensor: the cut value and which side of it is ink; undefined for crops of too little contrast. */
function inkCut(tensor: Float32Array, offset: number, width: number, height: number, rowStride: number, planeStride: number): { cut: number; darkInk: boolean } | undefined {
  const hist = new Uint32Array(256);
  // The green plane alone: gap finding needs contrast, not colour.
  const green = offset + planeStride;
  for (let j = 0; j < height; j++) {
    const o = green + j * rowStride;
    for (let i = 0; i < width; i++) {
      const b = ((tensor[o + i]! + 1) * 127.5 + 0.5) | 0;
      hist[b < 0 ? 0 : b > 255 ? 255 : b]!++;
    }
  }
  const total = width * height;
  const pct = (q: number): number => {
    let acc = 0;
    for (let b = 0; b < 256; b++) {
      acc += hist[b]!;
      if (acc >= q * total) return b / 127.5 - 1;
    }
    return 1;
  };
  const lo = pct(0.03);
  const med = pct(0.5);
  const hi = pct(0.97);
  const darkInk = med - lo >= hi - med;
  const contrast = darkInk ? med - lo : hi - med;
  if (contrast < 0.25) return undefined;
  const cut = darkInk ? med - contrast * 0.5 : med + contrast * 0.5;
  return { cut, darkInk };
}

/** Ink of one recognizer crop, per input column. */
export interface InkProfile {
  /** 1 where the column holds ink in the middle band (word gaps are read from it). */
  columns: Uint8Array;
  /**
   * Topmost and bottommost ink row of the column over the whole crop height, -1 without ink:
   * how high a letter reaches tells an accent above it from a plain letter (accent.ink.ts).
   */
  top: Int8Array;
  bottom: Int8Array;
}

/**
 * Which columns of a recognizer crop hold ink, and how high. Read from the crop tensor (planar, values in
 * [-1, 1]); the background level is the crop's median and ink lies on the far side of it, so light
 * text on dark fills works too. Crops with too little contrast get every column marked as ink (no
 * pixel evidence for word gaps) and no rows (-1).
 */
export function inkProfile(
  tensor: Float32Array,
  offset: number,
  width: number,
  height: number,
  rowStride: number,
  planeStride: number,
): InkProfile {
  const columns = new Uint8Array(width);
  const top = new Int8Array(width).fill(-1);
  const bottom = new Int8Array(width).fill(-1);
  const at = inkCut(tensor, offset, width, height, rowStride, planeStride);
  if (!at) return { columns: columns.fill(1), top, bottom };
  const { cut, darkInk } = at;
  const green = offset + planeStride;
  // Rows near the crop edges often catch neighbouring lines: word gaps look at the middle band only.
  const j0 = Math.floor(height * 0.12);
  const j1 = Math.ceil(height * 0.88);
  // Row by row (memory order).
  for (let j = 0; j < height; j++) {
    const o = green + j * rowStride;
    const band = j >= j0 && j < j1 ? 1 : 0;
    for (let i = 0; i < width; i++) {
      const v = tensor[o + i]!;
      if (darkInk ? v < cut : v > cut) {
        if (top[i]! < 0) top[i] = j;
        bottom[i] = j;
        columns[i]! |= band;
      }
    }
  }
  return { columns, top, bottom };
}

/**
 * Topmost and bottommost ink rows in the cell of `chars[i]`: from halfway after the previous
 * symbol's timesteps to halfway before the next one's (a CTC peak sits anywhere on its glyph, an
 * accent often beside it), one timestep past the crop's first and last symbols; undefined without ink.
 */
export function cellExtent(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number): { top: number; bottom: number } | undefined {
  const c = chars[i]!;
  const prev = chars[i - 1];
  const next = chars[i + 1];
  const x0 = Math.max(0, Math.round((prev ? (prev.t1 + 1 + c.t0) / 2 : c.t0 - 1) * stride));
  const x1 = Math.min(ink.top.length, Math.round((next ? (c.t1 + 1 + next.t0) / 2 : c.t1 + 2) * stride));
  let top = Infinity;
  let bottom = -1;
  for (let x = x0; x < x1; x++) {
    if (ink.top[x]! < 0) continue;
    top = Math.min(top, ink.top[x]!);
    bottom = Math.max(bottom, ink.bottom[x]!);
  }
  return bottom < 0 ? undefined : { top, bottom };
}
