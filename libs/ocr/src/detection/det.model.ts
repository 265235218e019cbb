import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../onnx/session.factory.ts';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import type { Stopwatch } from '../stopwatch.ts';
import type { Scratch } from '../scratch.ts';
import { halvedToTensor, resizeToTensor } from '../image/resize.image.ts';
import { boxesFromProbabilityMap, type DbPostprocessOptions } from './det.postprocess.ts';

/** ImageNet statistics in the BGR channel order the detector was trained with. */
const DET_MEAN = [0.485, 0.456, 0.406] as const;
const DET_STD = [0.229, 0.224, 0.225] as const;
/** A white pixel after that normalisation, per plane (batched runs pad pages with it). */
export const DET_WHITE: readonly number[] = DET_MEAN.map((mean, c) => (1 - mean) / DET_STD[c]!);

export interface DetectionSettings extends DbPostprocessOptions {
  /** Longest detector input side, px. */
  maxSide: number;
  /** Pages with a smaller longest side are enlarged to it, px (0 = never enlarge). */
  minSide: number;
}

/** A text region in source-page pixels: the four corners of a rectangle, in no reading order yet. */
export interface DetectedBox {
  corners: Quad;
  score: number;
}

/** Detector input size: the page scaled to fit the caps, each side a multiple of 32. */
export function detectorInputSize(width: number, height: number, s: Pick<DetectionSettings, 'maxSide' | 'minSide'>) {
  const long = Math.max(width, height);
  let ratio = 1;
  if (long > s.maxSide) ratio = s.maxSide / long;
  else if (s.minSide > 0 && long < s.minSide) ratio = s.minSide / long;
  const round32 = (v: number, cap: number) => Math.max(32, Math.min(cap, Math.round((v * ratio) / 32) * 32));
  const cap = Math.max(32, Math.floor(Math.max(s.maxSide, s.minSide) / 32) * 32);
  return { width: round32(width, cap), height: round32(height, cap) };
}

/**
 * When the page halved a few times (as resizeToTensor would) lands within one 32-pixel step under
 * the detector size, and no more than 10 % smaller, the detector reads it padded to a multiple of
 * 32 instead of resampled: 300-dpi A4 (2481 × 3508) halves to 1240 × 1754 and pads to the
 * 1248 × 1760 it would otherwise be stretched to. Undefined when resampling is needed.
 */
export function halvingPlan(width: number, height: number, s: Pick<DetectionSettings, 'maxSide' | 'minSide'>) {
  const size = detectorInputSize(width, height, s);
  let w = width;
  let h = height;
  let halvings = 0;
  while (w >= 1.75 * size.width && h >= 1.75 * size.height) {
    w = Math.floor(w / 2);
    h = Math.floor(h / 2);
    halvings++;
  }
  const padded = { width: Math.ceil(w / 32) * 32, height: Math.ceil(h / 32) * 32 };
  const cap = Math.max(32, Math.floor(Math.max(s.maxSide, s.minSide) / 32) * 32);
  const fits = padded.width <= size.width + 32 && padded.height <= size.height + 32 && Math.max(padded.width, padded.height) <= cap;
  const close = w >= 0.9 * size.width && h >= 0.9 * size.height;
  return fits && close ? { halvings, ...padded } : undefined;
}

/** How a page goes into the detector: input size, the tensor, and map pixels back to page pixels. */
export interface DetectorInputPlan {
  width: number;
  height: number;
  /** Writes the page's planar BGR tensor [3, height, width] into `dst`. */
  fill(dst: Float32Array): void;
  /** Probability-map boxes (map of `width × height`) in page pixels, clamped to the page. */
  toPage(mapBoxes: ReadonlyArray<{ corners: Quad; score: number }>): DetectedBox[];
}

/**
 * The one way a page enters the detector, page-at-a-time and batched alike (so both read the same
 * boxes): halved and padded when `halvingPlan` allows it, else resampled to `detectorInputSize`.
 */
export function planDetectorInput(page: Raster, s: Pick<DetectionSettings, 'maxSide' | 'minSide'>): DetectorInputPlan {
  const plan = halvingPlan(page.width, page.height, s);
  const size = plan ?? detectorInputSize(page.width, page.height, s);
  // Map pixels to page pixels: exactly 2^halvings when padded, else the resample ratio.
  const sx = plan ? 2 ** plan.halvings : page.width / size.width;
  const sy = plan ? 2 ** plan.halvings : page.height / size.height;
  const clampX = (x: number) => Math.min(Math.max(x * sx, 0), page.width);
  const clampY = (y: number) => Math.min(Math.max(y * sy, 0), page.height);
  return {
    ...size,
    fill(dst) {
      if (plan) halvedToTensor(page, plan.halvings, size.width, size.height, DET_MEAN, DET_STD, dst);
      else resizeToTensor(page, size.width, size.height, DET_MEAN, DET_STD, dst);
    },
    toPage: (mapBoxes) => mapBoxes.map((b) => ({ corners: b.corners.map(([x, y]) => [clampX(x), clampY(y)]) as Quad, score: b.score })),
  };
}

/** Runs the DB detector on a page; boxes come back in the page's own pixels. */
export async function detectText(
  session: InferenceSession,
  page: Raster,
  s: DetectionSettings,
  sw: Stopwatch,
  scratch: Scratch,
): Promise<DetectedBox[]> {
  const input = planDetectorInput(page, s);
  const buffer = scratch.float32('det.input', 3 * input.width * input.height);
  input.fill(buffer);
  sw.lap('detPre');
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', buffer, [1, 3, input.height, input.width]) };
  const out = await session.run(feeds);
  const prob = out[session.outputNames[0]!]!;
  sw.lap('detModel');
  const [, , mh, mw] = prob.dims as number[];
  const mapBoxes = boxesFromProbabilityMap(prob.data as Float32Array, mw!, mh!, s, scratch);
  prob.dispose();
  const boxes = input.toPage(mapBoxes);
  sw.lap('detPost');
  return boxes;
}
