import type { InferenceSession } from 'onnxruntime-node';
import type { OcrPage } from './page.ts';
import type { Raster } from './raster.ts';
import type { OcrEngine, RecognizeOptions } from './engine.types.ts';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { createSession } from './onnx/session.factory.ts';
import { prepareModel } from './prepare/model.load.ts';
import { sessionConfigOf } from './engine.session.ts';
import { loadCharset, narrowCharset, type Charset } from './recognition/charset.ts';
import { Scratch } from './scratch.ts';
import { recognizePages, recognizePagesIsolated } from './batch/batch.predictor.ts';
import type { Sessions } from './page.assembly.ts';

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
      const run = queue.then(() => recognizePagesIsolated(sessions, charset, o, items));
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

/** Page-at-a-time is a batch of one: the same stages, so both read exactly the same. */
async function recognizePage(s: Sessions, charset: Charset, o: ResolvedEngineOptions, page: Raster, opts: RecognizeOptions): Promise<OcrPage> {
  const [outcome] = await recognizePages(s, charset, o, [{ raster: page, opts }]);
  if (!outcome?.ok) throw new Error(outcome?.error ?? 'ocr returned no result for the page');
  return outcome.page;
}
