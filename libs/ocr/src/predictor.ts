import type { InferenceSession } from 'onnxruntime-node';
import type { Block, Line, OcrPage, Point, Quad, Rotation, Word } from './page.ts';
import { assertRaster, type Raster } from './raster.ts';
import type { OcrEngine, RecognizeOptions } from './engine.types.ts';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { createSession, prepareModel } from './onnx/session.factory.ts';
import { sessionConfigOf } from './engine.session.ts';
import { detectText, type DetectionSettings } from './detection/det.model.ts';
import { flipQuad } from './direction/page-orientation.ts';
import { orientPage } from './direction/orientation.ts';
import { loadCharset, narrowCharset, type Charset } from './recognition/charset.ts';
import { recognizeQuads, REC_HEIGHT, type CropReading } from './recognition/rec.model.ts';
import { measureGlyphs, splitWords, wordGapThresholds, type LineGlyphs } from './recognition/word.split.ts';
import { fromUpright, mapQuad, subQuad, toUpright, uprightSize } from './geometry/quad.geometry.ts';
import { Stopwatch } from './stopwatch.ts';
import { Scratch } from './scratch.ts';
import { layoutPage } from './layout/index.ts';
import { fixLoneZeros } from './recognition/numeric.context.ts';
import { normalizeToken } from './recognition/token.normalize.ts';
import { recognizePagesIsolated } from './batch/batch.predictor.ts';

/** How much more confident the turned reading of a suspect line must be to be kept. */
export const FLIP_MARGIN = 0.05;

export function meanProbability(r: CropReading): number {
  const chars = r.chars.filter((c) => !c.space);
  return chars.length === 0 ? 0 : chars.reduce((a, c) => a + c.prob, 0) / chars.length;
}

export interface Sessions {
  det: InferenceSession;
  rec: InferenceSession;
  cls: InferenceSession | undefined;
  /** Page-sized buffers reused from page to page (calls are serialized, so one set suffices). */
  scratch: Scratch;
}

/** A page's lines from its readings, word gaps judged over the whole page; weak lines dropped. */
export function linesOf(quads: readonly Quad[], readings: readonly CropReading[], o: ResolvedEngineOptions): Line[] {
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

/**
 * Creates an OCR engine: the detector, recognizer and direction classifier sessions are opened once
 * and reused by every `recognize` call (calls are serialized; run a pool for parallel pages).
 */
export async function createOcrEngine(options: EngineOptions = {}): Promise<OcrEngine> {
  const o = resolveEngineOptions(options);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const settings = { ...sessionConfigOf(o), log };
  const fullCharset = loadCharset(o.dictPath, o.latinOnly);
  const [detModel, recModel, clsModel] = await Promise.all([
    prepareModel(o.detModelPath, { rewrite: o.rewriteGraphs, int8: o.int8Detector, int8Graph: o.detInt8Graph, cacheDir: o.modelCacheDir, log }),
    prepareModel(o.recModelPath, {
      rewrite: o.rewriteGraphs,
      int8: o.int8Recognizer,
      int8Graph: o.recInt8Graph,
      keepClasses: o.latinOnly ? fullCharset.allowed : undefined,
      cacheDir: o.modelCacheDir,
      log,
    }),
    o.useDirectionClassifier ? prepareModel(o.clsModelPath, { rewrite: o.rewriteGraphs, int8: false, cacheDir: o.modelCacheDir, log }) : undefined,
  ]);
  const [det, rec, cls] = await Promise.all([
    createSession(detModel.bytes, { ...settings, memoryPattern: false }),
    createSession(recModel.bytes, settings),
    clsModel ? createSession(clsModel.bytes, settings) : undefined,
  ]);
  const sessions: Sessions = { det, rec, cls, scratch: new Scratch() };
  const charset = recModel.prunedClasses ? narrowCharset(fullCharset) : fullCharset;
  checkCharset(rec, charset, o.dictPath);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    recognize(raster, opts) {
      if (closed) return Promise.reject(new Error('ocr engine is closed'));
      const run = queue.then(() => recognizePage(sessions, charset, o, raster, opts ?? {}));
      queue = run.catch(() => undefined);
      return run;
    },
    recognizeBatch(items) {
      if (closed) return Promise.reject(new Error('ocr engine is closed'));
      const run = queue.then(() => recognizePagesIsolated(sessions, charset, o, items, (it) => recognizePage(sessions, charset, o, it.raster, it.opts ?? {})));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      closed = true;
      await queue;
      await Promise.all([det.release(), rec.release(), cls?.release()]);
    },
  };
}

function checkCharset(rec: InferenceSession, charset: Charset, dictPath: string): void {
  const meta = rec.outputMetadata[0];
  const dims = meta && 'shape' in meta ? meta.shape : [];
  const classes = dims[dims.length - 1];
  if (typeof classes === 'number' && classes !== charset.symbols.length) {
    throw new Error(
      `recognizer has ${classes} classes but ${dictPath} gives ${charset.symbols.length} (blank + dictionary + space)`,
    );
  }
}

async function recognizePage(
  s: Sessions,
  charset: Charset,
  o: ResolvedEngineOptions,
  page: Raster,
  opts: RecognizeOptions,
): Promise<OcrPage> {
  assertRaster(page);
  const t0 = performance.now();
  const sw = new Stopwatch(o.measureCpu);
  const boxes = await detectText(s.det, page, detectionSettings(o), sw, s.scratch);
  const corners = boxes.map((b) => b.corners);

  const { width: W, height: H } = page;
  const known = opts.rotation !== undefined && opts.rotation !== 'auto' ? opts.rotation : undefined;
  const { rotation, quads, suspects } = await orientPage(s.cls, page, corners, known);
  sw.lap('direction');

  const recSettings = { batchColumns: o.recBatchColumns, minWidth: o.recMinWidth, bucketRatio: 1.25, widthScale: o.recWidthScale };
  const readings = await recognizeQuads(s.rec, page, quads, charset, recSettings, sw);
  if (suspects.length > 0) {
    // The classifier proposes, the recognizer decides: a suspect line is turned only if it reads better.
    const turned = await recognizeQuads(s.rec, page, suspects.map((i) => flipQuad(quads[i]!)), charset, recSettings, sw);
    suspects.forEach((i, k) => {
      if (meanProbability(turned[k]!) > meanProbability(readings[i]!) + FLIP_MARGIN) {
        readings[i] = turned[k]!;
        quads[i] = flipQuad(quads[i]!);
      }
    });
  }

  const lines = linesOf(quads, readings, o);
  const blocks = layoutInUprightFrame(lines, rotation, W, H);
  sw.lap('layout');
  const timings = { ...sw.timings, total: performance.now() - t0 };
  return { width: W, height: H, dpi: opts.dpi ?? page.dpi ?? 72, rotation, blocks, timings };
}

export function detectionSettings(o: ResolvedEngineOptions): DetectionSettings {
  return {
    maxSide: o.detMaxSide,
    minSide: o.detMinSide,
    threshold: o.detThreshold,
    boxThreshold: o.boxThreshold,
    unclipRatio: o.unclipRatio,
    minSize: 3,
    maxBoxes: o.maxBoxes,
  };
}

export function toLine(quad: Quad, g: LineGlyphs, threshold: number): Line | undefined {
  const cropWords = splitWords(g, threshold);
  if (cropWords.length === 0) return undefined;
  const words: Word[] = cropWords.map((w) => ({
    text: normalizeToken(w.text),
    confidence: w.confidence,
    quad: subQuad(quad, Math.max(0, w.x0 / g.inputWidth), Math.min(1, w.x1 / g.inputWidth)),
  }));
  const confidence = g.chars.reduce((a, c) => a + c.prob, 0) / g.chars.length;
  return { text: words.map((w) => w.text).join(' '), confidence, quad, words };
}

/** Layout works on the upright page; every quad of its result is mapped back to source pixels. */
export function layoutInUprightFrame(lines: Line[], rotation: Rotation, W: number, H: number): Block[] {
  const up = (p: Point) => toUpright(p, rotation, W, H);
  const back = (p: Point) => fromUpright(p, rotation, W, H);
  const mapLine = (l: Line, f: (p: Point) => Point): Line => ({
    ...l,
    quad: mapQuad(l.quad, f),
    words: l.words.map((w) => ({ ...w, quad: mapQuad(w.quad, f) })),
  });
  const upright = fixLoneZeros(rotation === 0 ? lines : lines.map((l) => mapLine(l, up)));
  const blocks = layoutPage(upright, uprightSize(rotation, W, H));
  if (rotation === 0) return blocks;
  return blocks.map((b) => ({ ...b, quad: mapQuad(b.quad, back), lines: b.lines.map((l) => mapLine(l, back)) }));
}

