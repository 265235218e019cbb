import type { InferenceSession } from 'onnxruntime-node';
import type { Block, Line, OcrPage, Point, Quad, Rotation, Word } from './page.ts';
import { assertRaster, type Raster } from './raster.ts';
import type { OcrEngine, RecognizeOptions } from './engine.types.ts';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { createSession } from './onnx/session.factory.ts';
import { detectText, type DetectionSettings } from './detection/det.model.ts';
import { upsideDownProbabilities } from './direction/cls.model.ts';
import { addRotation, flipQuad, isMostlyVertical, orientQuad } from './direction/page-orientation.ts';
import { loadCharset, type Charset } from './recognition/charset.ts';
import { recognizeQuads, REC_HEIGHT, type CropReading } from './recognition/rec.model.ts';
import { splitWords } from './recognition/word.split.ts';
import { fromUpright, mapQuad, quadSize, subQuad, toUpright, uprightSize } from './geometry/quad.geometry.ts';
import { Stopwatch } from './stopwatch.ts';
import { layoutPage } from './layout/index.ts';

/** Lines sampled for the page-orientation vote. */
const ORIENTATION_SAMPLE = 24;
/** Line-level flip threshold (PP-OCR's cls_thresh). */
const FLIP_PROBABILITY = 0.9;

interface Sessions {
  det: InferenceSession;
  rec: InferenceSession;
  cls: InferenceSession | undefined;
}

/**
 * Creates an OCR engine: the detector, recognizer and direction classifier sessions are opened once
 * and reused by every `recognize` call (calls are serialized; run a pool for parallel pages).
 */
export async function createOcrEngine(options: EngineOptions = {}): Promise<OcrEngine> {
  const o = resolveEngineOptions(options);
  const settings = {
    intraOpThreads: o.threads,
    executionProviders: o.executionProviders,
    rewriteGraph: o.rewriteGraphs,
    log: (m: string) => process.stderr.write(`${m}\n`),
  };
  const [det, rec, cls] = await Promise.all([
    createSession(o.detModelPath, settings),
    createSession(o.recModelPath, settings),
    o.useDirectionClassifier ? createSession(o.clsModelPath, settings) : Promise.resolve(undefined),
  ]);
  const sessions: Sessions = { det, rec, cls };
  const charset = loadCharset(o.dictPath, o.latinOnly);
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
  const boxes = await detectText(s.det, page, detectionSettings(o), sw);
  const corners = boxes.map((b) => b.corners);

  const { width: W, height: H } = page;
  let rotation: Rotation;
  let quads: Quad[];
  let flipProb: Float32Array | undefined;
  if (opts.rotation !== undefined && opts.rotation !== 'auto') {
    rotation = opts.rotation;
    quads = corners.map((c) => orientQuad(c, rotation, W, H));
  } else {
    const base: Rotation = isMostlyVertical(corners) ? 90 : 0;
    quads = corners.map((c) => orientQuad(c, base, W, H));
    rotation = base;
    if (s.cls && quads.length > 0) {
      const sample = orientationSample(quads);
      const p = await upsideDownProbabilities(s.cls, page, sample.map((i) => quads[i]!));
      const votes = Array.from(p).filter((v) => v > 0.5).length;
      if (votes * 2 > sample.length) {
        rotation = addRotation(base, 180);
        quads = corners.map((c) => orientQuad(c, rotation, W, H));
      } else if (Array.from(p).some((v) => v > FLIP_PROBABILITY)) {
        // Mixed page (an upside-down stamp or footer): decide line by line.
        flipProb = await upsideDownProbabilities(s.cls, page, quads);
      }
    }
  }
  if (flipProb) quads = quads.map((q, i) => (flipProb![i]! > FLIP_PROBABILITY ? flipQuad(q) : q));
  sw.lap('direction');

  const readings = await recognizeQuads(
    s.rec,
    page,
    quads,
    charset,
    { batchColumns: o.recBatchColumns, minWidth: o.recMinWidth, bucketRatio: 1.25 },
    sw,
  );

  const lines: Line[] = [];
  readings.forEach((r, i) => {
    const line = toLine(quads[i]!, r, o);
    if (line && line.confidence >= o.minLineConfidence) lines.push(line);
  });
  const blocks = layoutInUprightFrame(lines, rotation, W, H);
  sw.lap('layout');
  const timings = { ...sw.timings, total: performance.now() - t0 };
  return { width: W, height: H, dpi: opts.dpi ?? page.dpi ?? 72, rotation, blocks, timings };
}

function detectionSettings(o: ResolvedEngineOptions): DetectionSettings {
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

/** Indexes of the longest clearly elongated lines: the most reliable orientation votes. */
function orientationSample(quads: readonly Quad[]): number[] {
  const sized = quads.map((q, i) => ({ i, ...quadSize(q) }));
  const elongated = sized.filter((s) => s.width >= 2.5 * s.height);
  const pool = elongated.length >= 3 ? elongated : sized;
  return pool
    .sort((a, b) => b.width - a.width)
    .slice(0, ORIENTATION_SAMPLE)
    .map((s) => s.i);
}

function toLine(quad: Quad, r: CropReading, o: ResolvedEngineOptions): Line | undefined {
  const cropWords = splitWords(r.chars, r.ink, r.stride, r.inputWidth, { height: REC_HEIGHT, gapRatio: o.wordGapRatio });
  if (cropWords.length === 0) return undefined;
  const words: Word[] = cropWords.map((w) => ({
    text: w.text,
    confidence: w.confidence,
    quad: subQuad(quad, Math.max(0, w.x0 / r.inputWidth), Math.min(1, w.x1 / r.inputWidth)),
  }));
  const chars = r.chars.filter((c) => !c.space);
  const confidence = chars.reduce((a, c) => a + c.prob, 0) / Math.max(1, chars.length);
  return { text: words.map((w) => w.text).join(' '), confidence, quad, words };
}

/** Layout works on the upright page; every quad of its result is mapped back to source pixels. */
function layoutInUprightFrame(lines: Line[], rotation: Rotation, W: number, H: number): Block[] {
  const up = (p: Point) => toUpright(p, rotation, W, H);
  const back = (p: Point) => fromUpright(p, rotation, W, H);
  const mapLine = (l: Line, f: (p: Point) => Point): Line => ({
    ...l,
    quad: mapQuad(l.quad, f),
    words: l.words.map((w) => ({ ...w, quad: mapQuad(w.quad, f) })),
  });
  const upright = rotation === 0 ? lines : lines.map((l) => mapLine(l, up));
  const blocks = layoutPage(upright, uprightSize(rotation, W, H));
  if (rotation === 0) return blocks;
  return blocks.map((b) => ({ ...b, quad: mapQuad(b.quad, back), lines: b.lines.map((l) => mapLine(l, back)) }));
}

