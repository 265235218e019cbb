import type { InferenceSession } from 'onnxruntime-node';
import type { Quad } from '../page.ts';
import type { Raster } from '../raster.ts';
import type { Stopwatch } from '../stopwatch.ts';
import type { Charset } from '../recognition/charset.ts';
import { cropMargins } from '../recognition/crop.clearance.ts';
import { cropOf, readCropRun, widthBuckets, type Crop, type CropReading, type RecognitionSettings, type RunBuffer } from '../recognition/rec.model.ts';

/** The lines of one page to read: quads with corners as the text reads, in source pixels. */
export interface PageQuads {
  page: Raster;
  quads: readonly Quad[];
}

interface LineRef {
  page: number;
  line: number;
  crop: Crop;
}

/** The padded input width each crop of one page gets when the page is read alone (rec.model.ts `widthBuckets`). */
export function pagePaddedWidths(widths: readonly number[], s: RecognitionSettings): number[] {
  const padded: number[] = new Array(widths.length);
  for (const bucket of widthBuckets(widths, s)) for (const i of bucket.crops) padded[i] = bucket.padded;
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
  const byWidth = new Map<number, LineRef[]>();
  pages.forEach((p, page) => {
    const margins = cropMargins(p.quads, s.cropMargin);
    const crops = p.quads.map((q, i) => cropOf(p.page, q, s.widthScale, margins[i]));
    pagePaddedWidths(crops.map((c) => c.width), s).forEach((padded, line) => {
      let list = byWidth.get(padded);
      if (!list) byWidth.set(padded, (list = []));
      list.push({ page, line, crop: crops[line]! });
    });
  });
  const results: CropReading[][] = pages.map((p) => new Array(p.quads.length));
  const buffer: RunBuffer = { data: new Float32Array(0) };
  for (const padded of [...byWidth.keys()].sort((a, b) => a - b)) {
    const lines = byWidth.get(padded)!;
    const perRun = Math.max(1, Math.floor(s.batchColumns / padded));
    for (let k = 0; k < lines.length; k += perRun) {
      const batch = lines.slice(k, k + perRun);
      const readings = await readCropRun(session, batch.map((l) => l.crop), padded, charset, buffer, sw);
      batch.forEach((l, b) => (results[l.page]![l.line] = readings[b]!));
    }
  }
  return results;
}
