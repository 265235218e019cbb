import type { ResolvedEngineOptions } from '../engine.options.ts';
import type { BatchItem, PageOutcome } from '../engine.types.ts';
import type { Line, OcrPage, Quad } from '../page.ts';
import { assertRaster } from '../raster.ts';
import { Stopwatch } from '../stopwatch.ts';
import { orientPage, type Orientation } from '../direction/orientation.ts';
import { flipQuad } from '../direction/page-orientation.ts';
import type { Charset } from '../recognition/charset.ts';
import { REC_HEIGHT, type CropReading } from '../recognition/rec.model.ts';
import { measureGlyphs, wordGapThresholds } from '../recognition/word.split.ts';
import { detectionSettings, FLIP_MARGIN, layoutInUprightFrame, meanProbability, toLine, type Sessions } from '../predictor.ts';
import { detectPages } from './det.batch.ts';
import { recognizeCrops, type PageCrop } from './rec.batch.ts';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * `recognizePages`, and when a shared model run throws, every page again on its own through
 * `single` so that only the page that causes the error fails. Never rejects.
 */
export async function recognizePagesIsolated(
  s: Sessions,
  charset: Charset,
  o: ResolvedEngineOptions,
  items: readonly BatchItem[],
  single: (item: BatchItem) => Promise<OcrPage>,
): Promise<PageOutcome[]> {
  try {
    return await recognizePages(s, charset, o, items);
  } catch {
    const outcomes: PageOutcome[] = [];
    for (const item of items) outcomes.push(await single(item).then((page) => ({ ok: true, page }) as const, (err: unknown) => ({ ok: false, error: errorText(err) }) as const));
    return outcomes;
  }
}

/**
 * Several pages through the same stages as predictor.ts `recognizePage`, sharing model runs:
 * detection per bucket of equal input size, the direction classifier per page, recognition over
 * the crops of every page at once. A page whose own steps fail (invalid raster, orientation,
 * layout) fails alone; a shared model run that throws rejects the whole call (callers retry the
 * pages one by one). Stage timings in each page's `timings` are the whole batch's, with
 * `batchPages` the number of pages that shared them.
 */
export async function recognizePages(s: Sessions, charset: Charset, o: ResolvedEngineOptions, items: readonly BatchItem[]): Promise<PageOutcome[]> {
  const t0 = performance.now();
  const sw = new Stopwatch(o.measureCpu);
  const outcomes: PageOutcome[] = new Array(items.length);
  const fail = (i: number, err: unknown) => (outcomes[i] = { ok: false, error: errorText(err) });

  let live: number[] = [];
  items.forEach((item, i) => {
    try {
      assertRaster(item.raster);
      live.push(i);
    } catch (err) {
      fail(i, err);
    }
  });
  const pages = live.map((i) => items[i]!.raster);
  const boxes = await detectPages(s.det, pages, detectionSettings(o), { maxPages: o.detBatchPages, padSlack: o.detBatchPadSlack }, sw, s.scratch);

  const orientations = new Map<number, Orientation>();
  for (const [k, i] of live.entries()) {
    try {
      const rotation = items[i]!.opts?.rotation;
      const known = rotation !== undefined && rotation !== 'auto' ? rotation : undefined;
      orientations.set(i, await orientPage(s.cls, pages[k]!, boxes[k]!.map((b) => b.corners), known));
    } catch (err) {
      fail(i, err);
    }
  }
  live = live.filter((i) => orientations.has(i));
  sw.lap('direction');

  const recSettings = { batchColumns: o.recBatchColumns, minWidth: o.recMinWidth, bucketRatio: 1.25, widthScale: o.recWidthScale };
  const crops: PageCrop[] = [];
  const suspects: PageCrop[] = [];
  const owners: Array<{ page: number; line: number }> = [];
  const suspectOwners: Array<{ page: number; line: number }> = [];
  for (const i of live) {
    const { quads, suspects: flipped } = orientations.get(i)!;
    quads.forEach((quad, line) => {
      crops.push({ page: items[i]!.raster, quad });
      owners.push({ page: i, line });
    });
    for (const line of flipped) {
      suspects.push({ page: items[i]!.raster, quad: flipQuad(quads[line]!) });
      suspectOwners.push({ page: i, line });
    }
  }
  const readings = await recognizeCrops(s.rec, crops, charset, recSettings, sw);
  const turned = suspects.length > 0 ? await recognizeCrops(s.rec, suspects, charset, recSettings, sw) : [];

  const perPage = new Map<number, CropReading[]>(live.map((i) => [i, []]));
  readings.forEach((r, k) => (perPage.get(owners[k]!.page)![owners[k]!.line] = r));
  turned.forEach((r, k) => {
    // The classifier proposes, the recognizer decides: a suspect line is turned only if it reads better.
    const { page, line } = suspectOwners[k]!;
    const own = perPage.get(page)!;
    if (meanProbability(r) > meanProbability(own[line]!) + FLIP_MARGIN) {
      own[line] = r;
      const q = orientations.get(page)!.quads;
      q[line] = flipQuad(q[line]!);
    }
  });

  for (const i of live) {
    try {
      const { rotation, quads } = orientations.get(i)!;
      const lines = linesOf(quads, perPage.get(i)!, o);
      const { width: W, height: H } = items[i]!.raster;
      const blocks = layoutInUprightFrame(lines, rotation, W, H);
      const dpi = items[i]!.opts?.dpi ?? items[i]!.raster.dpi ?? 72;
      outcomes[i] = { ok: true, page: { width: W, height: H, dpi, rotation, blocks, timings: {} } };
    } catch (err) {
      fail(i, err);
    }
  }
  sw.lap('layout');
  const timings = { ...sw.timings, total: performance.now() - t0, batchPages: items.length };
  for (const out of outcomes) if (out.ok) out.page.timings = timings;
  return outcomes;
}

/** Lines of one page from its readings, as predictor.ts builds them (word gaps judged per page). */
function linesOf(quads: readonly Quad[], readings: readonly CropReading[], o: ResolvedEngineOptions): Line[] {
  const glyphs = readings.map((r) => measureGlyphs(r.chars, r.ink, r.stride, r.inputWidth));
  const thresholds = wordGapThresholds(glyphs, {
    height: REC_HEIGHT,
    gapRatio: o.wordGapRatio,
    gapFactor: o.wordGapFactor,
    pitchFactor: o.wordPitchFactor,
    pagePrior: 8,
  });
  const lines: Line[] = [];
  glyphs.forEach((g, i) => {
    const line = toLine(quads[i]!, g, thresholds[i]!);
    if (line && line.confidence >= o.minLineConfidence) lines.push(line);
  });
  return lines;
}
