import type { ResolvedEngineOptions } from '../engine.options.ts';
import type { BatchItem, PageOutcome } from '../engine.types.ts';
import type { OcrPage, Quad } from '../page.ts';
import { assertRaster, type Raster } from '../raster.ts';
import { Stopwatch } from '../stopwatch.ts';
import { decideRotation, flipSuspects, type OrientationDecision, type SampleReader } from '../direction/orientation.ts';
import { flipQuad, orientQuad } from '../direction/page-orientation.ts';
import { turnUpright } from '../image/turn.image.ts';
import type { Charset } from '../recognition/charset.ts';
import type { CropReading, RecognitionSettings } from '../recognition/rec.model.ts';
import { detectionSettings, FLIP_MARGIN, layoutToSource, linesOf, meanProbability, type Sessions } from '../page.assembly.ts';
import { findUncoveredInk } from '../detection/det.coverage.ts';
import { detectPages } from './det.batch.ts';
import { recognizePageQuads } from './rec.batch.ts';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * `recognizePages`, and when a shared model run throws, every page again on its own (a batch of
 * one) so that only the page that causes the error fails. Never rejects.
 */
export async function recognizePagesIsolated(s: Sessions, charset: Charset, o: ResolvedEngineOptions, items: readonly BatchItem[]): Promise<PageOutcome[]> {
  try {
    return await recognizePages(s, charset, o, items);
  } catch {
    const outcomes: PageOutcome[] = [];
    for (const item of items) outcomes.push(await recognizePages(s, charset, o, [item]).then((out) => out[0]!, (err: unknown) => ({ ok: false, error: errorText(err) }) as const));
    return outcomes;
  }
}

/** One page on its way through the stages. */
interface PageWork {
  /** Index into the batch. */
  item: number;
  source: Raster;
  orientation: OrientationDecision;
  /** The source turned upright (the source itself when not turned). */
  upright: Raster;
  /** Detected boxes on `upright`, corners as the text reads. */
  quads: Quad[];
  suspects: number[];
}

/**
 * The engine's one predictor (page-at-a-time is a batch of one, as docTR's OCRPredictor): detect
 * → orient → turn a turned page's pixels upright and detect again → recognize → re-read lines
 * that look upside down → layout, boxes mapped back to the source pixels. Model runs are shared
 * across pages: detection per bucket of equal input size, recognition with the crops of every
 * page together (each crop padded as it is when its page is alone, see rec.batch.ts), so a batch
 * reads exactly what its pages read one by one. A page whose own steps fail (invalid raster,
 * orientation, layout) fails alone; a shared model run that throws rejects the whole call (callers
 * retry the pages one by one). Stage timings in each page's `timings` are the whole batch's, with
 * `batchPages` the number of pages that shared them.
 */
export async function recognizePages(s: Sessions, charset: Charset, o: ResolvedEngineOptions, items: readonly BatchItem[]): Promise<PageOutcome[]> {
  const t0 = performance.now();
  const sw = new Stopwatch(o.measureCpu);
  const outcomes: PageOutcome[] = new Array(items.length);
  const fail = (i: number, err: unknown) => (outcomes[i] = { ok: false, error: errorText(err) });
  const detOf = (i: number) => detectionSettings(o, items[i]!.opts?.detection);
  const detBatching = { maxPages: o.detBatchPages, padSlack: o.detBatchPadSlack };
  const recSettings: RecognitionSettings = { batchColumns: o.recBatchColumns, minWidth: o.recMinWidth, bucketRatio: 1.25, widthScale: o.recWidthScale, cropMargin: o.recCropMargin };
  const read: SampleReader = async (page, quads) => (await recognizePageQuads(s.rec, [{ page, quads }], charset, recSettings, sw))[0]!;

  const valid: number[] = [];
  items.forEach((item, i) => {
    try {
      assertRaster(item.raster);
      valid.push(i);
    } catch (err) {
      fail(i, err);
    }
  });
  const sourceBoxes = await detectPages(s.det, valid.map((i) => items[i]!.raster), valid.map(detOf), detBatching, sw, s.scratch);

  let work: PageWork[] = [];
  for (const [k, i] of valid.entries()) {
    try {
      const source = items[i]!.raster;
      const corners = sourceBoxes[k]!.map((b) => b.corners);
      const given = items[i]!.opts?.rotation;
      const orientation: OrientationDecision =
        given !== undefined && given !== 'auto'
          ? { rotation: given, evidence: { decidedBy: 'given', geometry: given % 180 === 0 ? 0 : 90, lines: 0, distinct: 0, chars: 0, classifierTurned: 0 } }
          : await decideRotation(s.cls, read, source, corners);
      const upright = turnUpright(source, orientation.rotation);
      work.push({ item: i, source, orientation, upright, quads: orientation.rotation === 0 ? corners : [], suspects: [] });
    } catch (err) {
      fail(i, err);
    }
  }
  sw.lap('direction');

  // A turned page is read as its upright self: its upright pixels are detected again.
  const turned = work.filter((w) => w.orientation.rotation !== 0);
  if (turned.length > 0) {
    const boxes = await detectPages(s.det, turned.map((w) => w.upright), turned.map((w) => detOf(w.item)), detBatching, sw, s.scratch);
    turned.forEach((w, k) => (w.quads = boxes[k]!.map((b) => b.corners)));
  }
  const kept: PageWork[] = [];
  for (const w of work) {
    try {
      w.quads = w.quads.map((c) => orientQuad(c, 0, w.upright.width, w.upright.height));
      w.suspects = await flipSuspects(s.cls, w.upright, w.quads);
      kept.push(w);
    } catch (err) {
      fail(w.item, err);
    }
  }
  work = kept;
  sw.lap('direction');

  const readings = await recognizePageQuads(s.rec, work.map((w) => ({ page: w.upright, quads: w.quads })), charset, recSettings, sw);
  const suspectPages = work.map((w, k) => ({ w, own: readings[k]! })).filter(({ w }) => w.suspects.length > 0);
  if (suspectPages.length > 0) {
    const flipped = await recognizePageQuads(
      s.rec,
      suspectPages.map(({ w }) => ({ page: w.upright, quads: w.suspects.map((line) => flipQuad(w.quads[line]!)) })),
      charset,
      recSettings,
      sw,
    );
    suspectPages.forEach(({ w, own }, k) => {
      // The classifier proposes, the recognizer decides: a suspect line is turned only if it reads better.
      w.suspects.forEach((line, j) => {
        const reading: CropReading = flipped[k]![j]!;
        if (meanProbability(reading) > meanProbability(own[line]!) + FLIP_MARGIN) {
          own[line] = reading;
          w.quads[line] = flipQuad(w.quads[line]!);
        }
      });
    });
  }

  work.forEach((w, k) => {
    try {
      const { rotation, evidence } = w.orientation;
      const lines = linesOf(w.quads, readings[k]!, o);
      const { width: W, height: H } = w.source;
      const blocks = layoutToSource(lines, rotation, W, H);
      const warnings = findUncoveredInk(w.upright, w.quads, rotation, W, H);
      const dpi = items[w.item]!.opts?.dpi ?? w.source.dpi ?? 72;
      const page: OcrPage = { width: W, height: H, dpi, rotation, orientation: evidence, blocks, timings: {} };
      if (warnings.length > 0) page.warnings = warnings;
      outcomes[w.item] = { ok: true, page };
    } catch (err) {
      fail(w.item, err);
    }
  });
  sw.lap('layout');
  const timings = { ...sw.timings, total: performance.now() - t0, batchPages: items.length };
  for (const out of outcomes) if (out.ok) out.page.timings = timings;
  return outcomes;
}
