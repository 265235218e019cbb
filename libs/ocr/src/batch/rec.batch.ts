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

/** The lines of one page to read: quads with corners as the text reads, in source pixels. */
export interface PageQuads {
  page: Raster;
  quads: readonly Quad[];
}

interface Crop {
  page: number;
  line: number;
  width: number;
}

/**
 * The padded input width each crop of one page gets when the page is read alone: crops sorted by
 * width, cut into buckets exactly as rec.model.ts `recognizeQuads` cuts them, each bucket padded
 * to its widest crop (multiple of 8).
 */
export function pagePaddedWidths(widths: readonly number[], s: RecognitionSettings): number[] {
  const order = widths.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const padded: number[] = new Array(widths.length);
  let k = 0;
  while (k < order.length) {
    const first = widths[order[k]!]!;
    let end = k + 1;
    while (end < order.length) {
      const w = Math.max(s.minWidth, widths[order[end]!]!);
      if (w * (end - k + 1) > s.batchColumns || w > Math.max(s.minWidth, first) * s.bucketRatio) break;
      end++;
    }
    const p = Math.ceil(Math.max(s.minWidth, widths[order[end - 1]!]!) / 8) * 8;
    for (let j = k; j < end; j++) padded[order[j]!] = p;
    k = end;
  }
  return padded;
}

/**
 * Reads the lines of several pages with shared recognizer runs. Every crop keeps the padded width
 * it gets when its page is read alone (the recognizer mixes information along the whole padded
 * line, so a different padding can change a marginal character or space); crops of any page with
 * the same padded width then share runs of up to `batchColumns` input columns. Each crop is read
 * exactly as page-at-a-time reads it; sparse pages (receipts) fill runs together.
 * Returns the readings per page, in each page's quad order.
 */
export async function recognizePageQuads(
  session: InferenceSession,
  pages: readonly PageQuads[],
  charset: Charset,
  s: RecognitionSettings,
  sw: Stopwatch,
): Promise<CropReading[][]> {
  const byWidth = new Map<number, Crop[]>();
  pages.forEach((p, page) => {
    const widths = p.quads.map((q) => cropInputWidth(q, s.widthScale));
    pagePaddedWidths(widths, s).forEach((padded, line) => {
      let list = byWidth.get(padded);
      if (!list) byWidth.set(padded, (list = []));
      list.push({ page, line, width: widths[line]! });
    });
  });
  const results: CropReading[][] = pages.map((p) => new Array(p.quads.length));
  let buffer = new Float32Array(0);
  for (const padded of [...byWidth.keys()].sort((a, b) => a - b)) {
    const crops = byWidth.get(padded)!;
    const perRun = Math.max(1, Math.floor(s.batchColumns / padded));
    for (let k = 0; k < crops.length; k += perRun) {
      const batch = crops.slice(k, k + perRun);
      const plane = REC_HEIGHT * padded;
      const size = batch.length * 3 * plane;
      if (buffer.length < size) buffer = new Float32Array(size);
      const input = buffer.subarray(0, size);
      input.fill(0);
      const inks = batch.map((c, b) => {
        warpQuadToTensor(pages[c.page]!.page, pages[c.page]!.quads[c.line]!, input, b * 3 * plane, c.width, REC_HEIGHT, padded, plane);
        return inkColumns(input, b * 3 * plane, c.width, REC_HEIGHT, padded, plane);
      });
      sw.lap('recPre');
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, padded]) });
      const probs = out[session.outputNames[0]!]!;
      sw.lap('recModel');
      const [, steps, classes] = probs.dims as number[];
      const stride = padded / steps!;
      const data = probs.data as Float32Array;
      batch.forEach((c, b) => {
        const own = Math.min(steps!, Math.ceil(c.width / stride) + 1);
        results[c.page]![c.line] = { chars: ctcGreedyDecode(data, b, steps!, classes!, charset, own), stride, inputWidth: c.width, ink: inks[b]! };
      });
      probs.dispose();
      sw.lap('recPost');
    }
  }
  return results;
}
