import { median } from '../geometry/index.ts';
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

/** Topmost and bottommost ink rows of a stretch of a crop. */
export interface InkBand {
  top: number;
  bottom: number;
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
 * The input columns [x0, x1) of `chars[i]`'s cell: from halfway after the previous symbol's
 * timesteps to halfway before the next one's (a CTC peak sits anywhere on its glyph), one timestep
 * past the crop's first and last symbols; `centre` is the middle of its own timesteps.
 */
export function cellOf(chars: readonly DecodedChar[], i: number, width: number, stride: number): { x0: number; x1: number; centre: number } {
  const c = chars[i]!;
  const prev = chars[i - 1];
  const next = chars[i + 1];
  return {
    x0: Math.max(0, Math.round((prev ? (prev.t1 + 1 + c.t0) / 2 : c.t0 - 1) * stride)),
    x1: Math.min(width, Math.round((next ? (c.t1 + 1 + next.t0) / 2 : c.t1 + 2) * stride)),
    centre: ((c.t0 + c.t1 + 1) / 2) * stride,
  };
}

/** The column of [x0, x1) nearest `centre` for which `keep` holds; -1 when none does. */
export function nearestColumn(x0: number, x1: number, centre: number, keep: (x: number) => boolean): number {
  let best = -1;
  for (let x = x0; x < x1; x++) if (keep(x) && (best < 0 || Math.abs(x + 0.5 - centre) < Math.abs(best + 0.5 - centre))) best = x;
  return best;
}

/** The run of columns of [x0, x1) around `seed` for which `keep` holds, as its first and last column. */
export function columnRun(seed: number, x0: number, x1: number, keep: (x: number) => boolean): { left: number; right: number } {
  let left = seed;
  let right = seed;
  while (left > x0 && keep(left - 1)) left--;
  while (right < x1 - 1 && keep(right + 1)) right++;
  return { left, right };
}

/**
 * Topmost and bottommost ink rows in the cell of `chars[i]` (an accent often stands beside the
 * letter's CTC peak, within its cell); undefined without ink.
 */
export function cellExtent(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number): InkBand | undefined {
  const { x0, x1 } = cellOf(chars, i, ink.top.length, stride);
  return inkRows(ink, x0, x1);
}

/** Topmost and bottommost ink rows over the columns [x0, x1); undefined without ink. */
export function inkRows(ink: InkProfile, x0: number, x1: number): InkBand | undefined {
  let top = Infinity;
  let bottom = -1;
  for (let x = x0; x < x1; x++) {
    if (ink.top[x]! < 0) continue;
    top = Math.min(top, ink.top[x]!);
    bottom = Math.max(bottom, ink.bottom[x]!);
  }
  return bottom < 0 ? undefined : { top, bottom };
}

/** Digits and capitals that stand on the baseline and reach the cap height (J and Q descend in many faces). */
const CAP_HEIGHT = /^[0-9A-IK-PR-Z]$/;

/** Median top and bottom ink rows of the crop's cap-height symbols; undefined without any. */
export function capBand(chars: readonly DecodedChar[], ink: InkProfile, stride: number): InkBand | undefined {
  const extents: InkBand[] = [];
  chars.forEach((c, i) => {
    const e = CAP_HEIGHT.test(c.text) ? cellExtent(chars, i, ink, stride) : undefined;
    if (e) extents.push(e);
  });
  if (extents.length === 0) return undefined;
  return { top: median(extents.map((e) => e.top)), bottom: median(extents.map((e) => e.bottom)) };
}
