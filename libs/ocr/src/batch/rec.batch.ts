import type { InferenceSession } from 'onnxruntime-node';
import { ort } from '../onnx/session.factory.ts';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import type { Stopwatch } from '../stopwatch.ts';
import { warpQuadToTensor } from '../image/warp.image.ts';
import type { Charset } from '../recognition/charset.ts';
import { ctcGreedyDecode } from '../recognition/ctc.decode.ts';
import { inkColumns } from '../recognition/ink.profile.ts';
import { cropInputWidth, REC_HEIGHT, type CropReading, type RecognitionSettings } from '../recognition/rec.model.ts';

/** One line to read: a quad (corners as the text reads, source pixels) on its page. */
export interface PageCrop {
  page: Raster;
  quad: Quad;
}

/**
 * Reads crops of any number of pages in shared runs: all crops sorted by width and cut into
 * buckets of similar width exactly as rec.model.ts `recognizeQuads` cuts one page's, so a sparse
 * page (a receipt) fills its runs with its neighbours' lines. Readings come back in input order.
 */
export async function recognizeCrops(
  session: InferenceSession,
  crops: readonly PageCrop[],
  charset: Charset,
  s: RecognitionSettings,
  sw: Stopwatch,
): Promise<CropReading[]> {
  const widths = crops.map((c) => cropInputWidth(c.quad, s.widthScale));
  const order = widths.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const results: CropReading[] = new Array(crops.length);
  let buffer = new Float32Array(0);
  let k = 0;
  while (k < order.length) {
    const first = widths[order[k]!]!;
    let end = k + 1;
    while (end < order.length) {
      const w = Math.max(s.minWidth, widths[order[end]!]!);
      if (w * (end - k + 1) > s.batchColumns || w > Math.max(s.minWidth, first) * s.bucketRatio) break;
      end++;
    }
    const batch = order.slice(k, end);
    k = end;
    const padded = Math.ceil(Math.max(s.minWidth, widths[batch[batch.length - 1]!]!) / 8) * 8;
    const plane = REC_HEIGHT * padded;
    const size = batch.length * 3 * plane;
    if (buffer.length < size) buffer = new Float32Array(size);
    const input = buffer.subarray(0, size);
    input.fill(0);
    const inks: Uint8Array[] = [];
    batch.forEach((ci, b) => {
      const w = widths[ci]!;
      warpQuadToTensor(crops[ci]!.page, crops[ci]!.quad, input, b * 3 * plane, w, REC_HEIGHT, padded, plane);
      inks.push(inkColumns(input, b * 3 * plane, w, REC_HEIGHT, padded, plane));
    });
    sw.lap('recPre');
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, padded]) });
    const probs = out[session.outputNames[0]!]!;
    sw.lap('recModel');
    const [, steps, classes] = probs.dims as number[];
    const stride = padded / steps!;
    const data = probs.data as Float32Array;
    batch.forEach((ci, b) => {
      const w = widths[ci]!;
      const own = Math.min(steps!, Math.ceil(w / stride) + 1);
      results[ci] = { chars: ctcGreedyDecode(data, b, steps!, classes!, charset, own), stride, inputWidth: w, ink: inks[b]! };
    });
    probs.dispose();
    sw.lap('recPost');
  }
  return results;
}
