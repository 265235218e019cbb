import type { ResolvedEngineOptions } from '../engine.options.ts';
import type { BatchItem, PageOutcome } from '../engine.types.ts';
import type { OcrPage } from '../page.ts';
import { assertRaster } from '../raster.ts';
import { Stopwatch } from '../stopwatch.ts';
import { orientPage, type Orientation } from '../direction/orientation.ts';
import { flipQuad } from '../direction/page-orientation.ts';
import type { Charset } from '../recognition/charset.ts';
import type { CropReading } from '../recognition/rec.model.ts';
import { detectionSettings, FLIP_MARGIN, layoutInUprightFrame, linesOf, meanProbability, type Sessions } from '../page.assembly.ts';
import { detectPages } from './det.batch.ts';
import { recognizePageQuads } from './rec.batch.ts';

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
 * detection per bucket of equal input size, the direction classifier per page, recognition with
 * the crops of every page sharing runs (each crop padded as page-at-a-time pads it, see rec.batch.ts). A page whose own steps fail (invalid raster, orientation,
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
  const readings = await recognizePageQuads(
    s.rec,
    live.map((i) => ({ page: items[i]!.raster, quads: orientations.get(i)!.quads })),
    charset,
    recSettings,
    sw,
  );
  const perPage = new Map<number, CropReading[]>(live.map((i, k) => [i, readings[k]!]));
  const suspectPages = live.filter((i) => orientations.get(i)!.suspects.length > 0);
  if (suspectPages.length > 0) {
    const turned = await recognizePageQuads(
      s.rec,
      suspectPages.map((i) => ({ page: items[i]!.raster, quads: orientations.get(i)!.suspects.map((line) => flipQuad(orientations.get(i)!.quads[line]!)) })),
      charset,
      recSettings,
      sw,
    );
    suspectPages.forEach((i, k) => {
      const { quads, suspects } = orientations.get(i)!;
      const own = perPage.get(i)!;
      // The classifier proposes, the recognizer decides: a suspect line is turned only if it reads better.
      suspects.forEach((line, j) => {
        if (meanProbability(turned[k]![j]!) > meanProbability(own[line]!) + FLIP_MARGIN) {
          own[line] = turned[k]![j]!;
          quads[line] = flipQuad(quads[line]!);
        }
      });
    });
  }

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
