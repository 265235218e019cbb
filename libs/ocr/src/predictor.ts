import type { InferenceSession } from 'onnxruntime-node';
import type { OcrPage } from './page.ts';
import type { Raster } from './raster.ts';
import type { EnginePaths, OcrEngine, RecognizeOptions } from './engine.types.ts';
import { cpuIdentity, fastestVariant, type PathChoice } from './engine.path.ts';
import type { PreparedModel } from './prepare/prepared-model.cache.ts';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { createSession } from './onnx/session.factory.ts';
import { prepareModel } from './prepare/model.load.ts';
import { sessionConfigOf } from './engine.session.ts';
import { charsetOfClasses, loadCharset, narrowCharset, type Charset } from './recognition/charset.ts';
import { latinGate } from './recognition/latin.gate.ts';
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
  const detPrepare = (int8: boolean) => () => prepareModel(o.detModelPath, { rewrite: o.rewriteGraphs, int8, int8Graph: o.detInt8Graph, cacheDir: o.modelCacheDir, log });
  const recPrepare = (int8: boolean) => () =>
    prepareModel(o.recModelPath, {
      rewrite: o.rewriteGraphs,
      int8,
      int8Graph: o.recInt8Graph,
      keepClasses: o.latinOnly ? fullCharset.allowed : undefined,
      latinHead: o.latinOnly ? o.latinHead : 'off',
      cacheDir: o.modelCacheDir,
      log,
    });
  // The faster of int8 and float on this CPU (measured once per machine), else what was asked.
  const pick = async (int8: boolean, prepare: (int8: boolean) => () => Promise<PreparedModel>, dims: number[]) =>
    int8 && o.fastestPath
      ? fastestVariant({ int8: prepare(true), float: prepare(false) }, dims, settings, o.modelCacheDir)
      : { model: await prepare(int8)(), choice: { path: int8 ? 'int8' : 'float' } as PathChoice };
  const detPick = await pick(o.int8Detector, detPrepare, [1, 3, 640, 640]);
  const recPick = await pick(o.int8Recognizer, recPrepare, [8, 3, 48, 320]);
  const detModel = detPick.model;
  const recModel = recPick.model;
  const clsModel = o.useDirectionClassifier ? await prepareModel(o.clsModelPath, { rewrite: o.rewriteGraphs, int8: false, cacheDir: o.modelCacheDir, log }) : undefined;
  const paths: EnginePaths = { cpu: cpuIdentity(), detector: detPick.choice, recognizer: recPick.choice };
  const [det, rec, cls] = await Promise.all([
    createSession(detModel.bytes, { ...settings, memoryPattern: false }),
    createSession(recModel.bytes, settings),
    clsModel ? createSession(clsModel.bytes, settings) : undefined,
  ]);
  const sessions: Sessions = { det, rec, cls, scratch: new Scratch() };
  const ownCharset = recModel.classes ? charsetOfClasses(recModel.classes) : recModel.prunedClasses ? narrowCharset(fullCharset) : fullCharset;
  const charset = recModel.gateClasses ? { ...ownCharset, gate: latinGate(recModel.gateClasses, o.latinGateThreshold) } : ownCharset;
  checkCharset(rec, charset, o.dictPath);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    paths,
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
