import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../onnx/session.factory.ts';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import { quadPoint, quadSize } from '../geometry/index.ts';
import type { Stopwatch } from '../stopwatch.ts';
import { warpQuadToTensor } from '../image/warp.image.ts';
import type { Charset } from './charset.ts';
import { ctcGreedyDecode, type DecodedChar } from './ctc.decode.ts';
import { inkProfile } from './ink.profile.ts';
import type { CropMargin } from './crop.clearance.ts';
import { gatedCtcDecode } from './latin.gate.ts';
import { accentsOnInk } from './accent.ink.ts';
import { measureDashes } from './dash.ink.ts';
import { bulletsOnInk } from './bullet.ink.ts';

/** Recognizer input height, fixed by the PP-OCR model. */
export const REC_HEIGHT = 48;

export interface RecognitionSettings {
  /** Most input columns (batch × padded width) per model run. */
  batchColumns: number;
  /** Narrower crops are padded to this width. */
  minWidth: number;
  /** Widest crop in one batch may be at most this × the narrowest (bucketing by width). */
  bucketRatio: number;
  /** Horizontal scale of crops at the recognizer height (< 1 squeezes: fewer columns, less work). */
  widthScale: number;
  /** Margin added to every side of a crop beyond its detected box, as a share of the box height (less where neighbours are closer). */
  cropMargin: number;
}

/** What the recognizer read in one crop. */
export interface CropReading {
  chars: DecodedChar[];
  /** Input columns per output timestep. */
  stride: number;
  /** Width of the crop content in recognizer input pixels (before padding), margins included. */
  inputWidth: number;
  /** Input columns of margin on each side of the detected box (see `RecognitionSettings.cropMargin`). */
  inset: number;
  /** Ink flag per input column (see inkProfile). */
  ink: Uint8Array;
}

/** Crop width at the recognizer height, keeping the quad's aspect ratio. */
export function cropInputWidth(quad: Quad, widthScale = 1): number {
  const { width, height } = quadSize(quad);
  return Math.max(8, Math.round((REC_HEIGHT * width * widthScale) / Math.max(height, 1)));
}

/**
 * What the recognizer reads for a detected box: the box grown by `margin` px on every side (see
 * crop.clearance.ts), with its width at the recognizer height and the columns of margin on each
 * side. DB boxes hug the glyphs; the recognizer reads a line better with some paper around it,
 * while the detected box itself stays what layout groups, so neighbouring lines do not merge.
 */
export function cropOf(page: Raster, quad: Quad, widthScale: number, margin: CropMargin = { across: 0, along: 0 }): Crop {
  const { width, height } = quadSize(quad);
  const mv = margin.across / Math.max(height, 1);
  const mu = margin.along / Math.max(width, 1);
  const grown: Quad = [quadPoint(quad, -mu, -mv), quadPoint(quad, 1 + mu, -mv), quadPoint(quad, 1 + mu, 1 + mv), quadPoint(quad, -mu, 1 + mv)];
  const cropWidth = cropInputWidth(grown, widthScale);
  return { page, quad: grown, width: cropWidth, inset: (cropWidth * mu) / (1 + 2 * mu) };
}

/**
 * Crops (by index into `widths`) in buckets of similar width, ascending: a bucket grows while its
 * padded run stays within `batchColumns` and its widest crop within `bucketRatio` of its
 * narrowest. With its padded width: the widest crop, rounded up to a multiple of 8.
 */
export function widthBuckets(widths: readonly number[], s: RecognitionSettings): Array<{ crops: number[]; padded: number }> {
  const order = widths.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const buckets: Array<{ crops: number[]; padded: number }> = [];
  let k = 0;
  while (k < order.length) {
    const first = widths[order[k]!]!;
    let end = k + 1;
    while (end < order.length) {
      const w = Math.max(s.minWidth, widths[order[end]!]!);
      if (w * (end - k + 1) > s.batchColumns || w > Math.max(s.minWidth, first) * s.bucketRatio) break;
      end++;
    }
    const crops = order.slice(k, end);
    buckets.push({ crops, padded: Math.ceil(Math.max(s.minWidth, widths[crops[crops.length - 1]!]!) / 8) * 8 });
    k = end;
  }
  return buckets;
}

/** One crop to read: the page it is cut from, its quad, its width at the recognizer height. */
export interface Crop {
  page: Raster;
  quad: Quad;
  width: number;
  /** Columns of margin on each side of the detected box within `width`. */
  inset: number;
}

/** A float buffer that grows to the largest run and is reused across runs. */
export interface RunBuffer {
  data: Float32Array;
}

/** Reads `crops` in one recognizer run, each padded to `padded` input columns; readings in order. */
export async function readCropRun(
  session: InferenceSession,
  crops: readonly Crop[],
  padded: number,
  charset: Charset,
  buffer: RunBuffer,
  sw: Stopwatch,
): Promise<CropReading[]> {
  const plane = REC_HEIGHT * padded;
  const size = crops.length * 3 * plane;
  if (buffer.data.length < size) buffer.data = new Float32Array(size);
  const input = buffer.data.subarray(0, size);
  input.fill(0);
  const inks = crops.map((c, b) => {
    warpQuadToTensor(c.page, c.quad, input, b * 3 * plane, c.width, REC_HEIGHT, padded, plane);
    return inkProfile(input, b * 3 * plane, c.width, REC_HEIGHT, padded, plane);
  });
  sw.lap('recPre');
  const tensor = new ort.Tensor('float32', input, [crops.length, 3, REC_HEIGHT, padded]);
  const out = await session.run({ [session.inputNames[0]!]: tensor });
  const probs = out[session.outputNames[0]!]!;
  sw.lap('recModel');
  const [, steps, classes] = probs.dims as number[];
  const stride = padded / steps!;
  const data = probs.data as Float32Array;
  const head = charset.gate && session.outputNames[1] ? out[session.outputNames[1]] : undefined;
  const headData = head?.data as Float32Array | undefined;
  const readings = crops.map((c, b) => {
    const own = Math.min(steps!, Math.ceil(c.width / stride) + 1);
    const decoded =
      headData && charset.gate ? gatedCtcDecode(data, headData, b, steps!, classes!, charset, charset.gate, own) : ctcGreedyDecode(data, b, steps!, classes!, charset, own);
    const { width, height } = quadSize(c.quad);
    const aspect = (c.width * Math.max(height, 1)) / (REC_HEIGHT * Math.max(width, 1));
    const ink = inks[b]!;
    const chars = bulletsOnInk(measureDashes(accentsOnInk(decoded, ink, stride), ink, stride, aspect), ink, stride);
    return { chars, stride, inputWidth: c.width, inset: c.inset, ink: ink.columns };
  });
  probs.dispose();
  head?.dispose();
  sw.lap('recPost');
  return readings;
}
