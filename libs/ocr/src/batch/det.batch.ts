import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../onnx/session.factory.ts';
import type { Raster } from '../raster.ts';
import type { Scratch } from '../scratch.ts';
import type { Stopwatch } from '../stopwatch.ts';
import { DET_WHITE, planDetectorInput, type DetectedBox, type DetectionSettings, type DetectorInputPlan } from '../detection/det.model.ts';
import { boxesFromProbabilityMap } from '../detection/det.postprocess.ts';


export interface DetectionBatching {
  /** Most pages per detector run. */
  maxPages: number;
  /**
   * Pages whose detector input is at most this many pixels smaller on each side than the largest
   * of a bucket join it, padded with white; 0 = only equal sizes share a run (results then equal
   * page-at-a-time detection).
   */
  padSlack: number;
}

interface Sized {
  index: number;
  page: Raster;
  input: DetectorInputPlan;
  width: number;
  height: number;
}

/** Groups pages into runs of equal (or, with slack, nearly equal) detector input size, largest first. */
export function detectionBuckets<T extends { width: number; height: number }>(pages: readonly T[], b: DetectionBatching): T[][] {
  const sorted = [...pages].sort((x, y) => y.height - x.height || y.width - x.width);
  const buckets: Array<{ items: T[]; height: number; minWidth: number; maxWidth: number }> = [];
  for (const p of sorted) {
    const fit = buckets.find(
      (bk) =>
        bk.items.length < b.maxPages &&
        bk.height - p.height <= b.padSlack &&
        Math.max(bk.maxWidth, p.width) - Math.min(bk.minWidth, p.width) <= b.padSlack,
    );
    if (fit) {
      fit.items.push(p);
      fit.minWidth = Math.min(fit.minWidth, p.width);
      fit.maxWidth = Math.max(fit.maxWidth, p.width);
    } else buckets.push({ items: [p], height: p.height, minWidth: p.width, maxWidth: p.width });
  }
  return buckets.map((bk) => bk.items);
}

/**
 * Runs the DB detector over several pages, one model run per size bucket ([B, 3, H, W]; the PP-OCR
 * detector's batch dimension is dynamic). `settings` is one for all pages or one per page (input
 * size caps equal, thresholds may differ). Returns each page's boxes in its own pixels, exactly as
 * det.model.ts `detectText` does for one page.
 */
export async function detectPages(
  session: InferenceSession,
  pages: readonly Raster[],
  settings: DetectionSettings | readonly DetectionSettings[],
  b: DetectionBatching,
  sw: Stopwatch,
  scratch: Scratch,
): Promise<DetectedBox[][]> {
  // Pages may differ in their post-processing thresholds only: a run is shared whatever they are.
  const settingsOf = (index: number): DetectionSettings => (Array.isArray(settings) ? settings[index]! : (settings as DetectionSettings));
  const sized: Sized[] = pages.map((page, index) => {
    const input = planDetectorInput(page, settingsOf(index));
    return { index, page, input, width: input.width, height: input.height };
  });
  const out: DetectedBox[][] = new Array(pages.length);
  for (const bucket of detectionBuckets(sized, b)) {
    const H = Math.max(...bucket.map((p) => p.height));
    const W = Math.max(...bucket.map((p) => p.width));
    const plane = H * W;
    const input = new Float32Array(bucket.length * 3 * plane);
    bucket.forEach((p, k) => writePage(p, input.subarray(k * 3 * plane, (k + 1) * 3 * plane), W, H));
    sw.lap('detPre');
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [bucket.length, 3, H, W]) });
    const prob = result[session.outputNames[0]!]!;
    sw.lap('detModel');
    const [, , mh, mw] = prob.dims as number[];
    const data = prob.data as Float32Array;
    bucket.forEach((p, k) => {
      const map = pageMap(data.subarray(k * mh! * mw!, (k + 1) * mh! * mw!), mw!, p.width, p.height);
      out[p.index] = p.input.toPage(boxesFromProbabilityMap(map, p.width, p.height, settingsOf(p.index), scratch));
    });
    prob.dispose();
    sw.lap('detPost');
  }
  return out;
}

/** The page's detector input at the top-left of a `W × H` planar tensor; the rest is white. */
function writePage(p: Sized, dst: Float32Array, W: number, H: number): void {
  if (p.width === W && p.height === H) {
    p.input.fill(dst);
    return;
  }
  const own = new Float32Array(3 * p.width * p.height);
  p.input.fill(own);
  for (let c = 0; c < 3; c++) {
    const planeOut = dst.subarray(c * W * H, (c + 1) * W * H);
    planeOut.fill(DET_WHITE[c]!);
    for (let y = 0; y < p.height; y++) planeOut.set(own.subarray(c * p.width * p.height + y * p.width, c * p.width * p.height + (y + 1) * p.width), y * W);
  }
}

/** The page's own `width × height` window of a padded probability map (row stride `stride`). */
function pageMap(map: Float32Array, stride: number, width: number, height: number): Float32Array {
  if (stride === width) return map.subarray(0, width * height);
  const own = new Float32Array(width * height);
  for (let y = 0; y < height; y++) own.set(map.subarray(y * stride, y * stride + width), y * width);
  return own;
}
