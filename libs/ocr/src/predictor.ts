import type { InferenceSession } from 'onnxruntime-node';
import type { OcrPage } from './page.ts';
import { assertRaster, type Raster } from './raster.ts';
import type { OcrEngine, RecognizeOptions } from './engine.types.ts';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { createSession } from './onnx/session.factory.ts';
import { prepareModel } from './prepare/model.load.ts';
import { sessionConfigOf } from './engine.session.ts';
import { detectText } from './detection/det.model.ts';
import { flipQuad } from './direction/page-orientation.ts';
import { orientPage } from './direction/orientation.ts';
import { loadCharset, narrowCharset, type Charset } from './recognition/charset.ts';
import { recognizeQuads } from './recognition/rec.model.ts';
import { Stopwatch } from './stopwatch.ts';
import { Scratch } from './scratch.ts';
import { recognizePagesIsolated } from './batch/batch.predictor.ts';
import { detectionSettings, FLIP_MARGIN, layoutInUprightFrame, linesOf, meanProbability, type Sessions } from './page.assembly.ts';

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
