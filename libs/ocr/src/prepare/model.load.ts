import { readFile } from 'node:fs/promises';
import { int8WeightsForCpu, type Int8Weights } from './cpu.flags.ts';
import { calibrationFor } from './calibration.store.ts';
import { latinHead, type LatinHeadMode } from './latin.head.ts';
import { transformModel, type Int8Graph } from './model.prepare.ts';
import { cachedPreparation, modelDigest, type PreparedModel } from './prepared-model.cache.ts';

export interface ModelSettings {
  /** Apply the exact PaddlePaddle-export rewrites of graph.optimize.ts. */
  rewrite: boolean;
  /** Run heavy convolutions in int8 when calibration ranges exist for this model file. */
  int8: boolean;
  /** Keep only these output classes (recognizer). */
  keepClasses?: ArrayLike<number> | undefined;
  /** How int8 is laid out in the graph (model.prepare.ts). @defaultValue 'integer' */
  int8Graph?: Int8Graph | undefined;
  /** How wide int8 weights are. @defaultValue what this CPU adds without overflow (cpu.flags.ts) */
  int8Weights?: Int8Weights | undefined;
  /**
   * Use the trained Latin head (latin.head.ts) where the model is the one it was trained on: 'head'
   * swaps it in (the returned `classes` are then the head's), 'gated' adds it as a second output
   * (`gateClasses`). @defaultValue 'off'
   */
  latinHead?: LatinHeadMode | undefined;
  /** Where prepared models are kept between processes (prepared-model.cache.ts). @defaultValue false (nowhere) */
  cacheDir?: string | false | undefined;
  log: (message: string) => void;
}

/**
 * Reads a model file and transforms it as asked; any transform that fails leaves the file as it
 * is, with a log line (users may point at PP-OCR exports these rewrites were not written for).
 */
export async function prepareModel(modelPath: string, s: ModelSettings): Promise<PreparedModel> {
  const bytes = new Uint8Array(await readFile(modelPath));
  const digest = modelDigest(bytes);
  let ranges;
  if (s.int8) {
    ranges = calibrationFor(bytes, digest);
    if (!ranges) s.log(`ocr: no int8 calibration for ${modelPath}; running it in float`);
  }
  // Only the model the head was trained on gets it: another export's features mean something else.
  const mode = s.latinHead ?? 'off';
  const head = mode !== 'off' ? latinHead() : undefined;
  const useHead = head && head.modelSha256 === digest ? head : undefined;
  if (!s.rewrite && !ranges && !s.keepClasses && !useHead) return { bytes, prunedClasses: false };
  try {
    const int8Weights = s.int8Weights ?? int8WeightsForCpu();
    const settings = { rewrite: s.rewrite, int8Ranges: ranges, keepClasses: s.keepClasses, int8Graph: s.int8Graph, int8Weights, latinHead: useHead, latinGate: mode === 'gated' };
    // The ranges follow from the model and the calibration files, both already in the cache key
    // (so are the head's weights: heads/ is under prepare/; its digest is named for clarity).
    const key = {
      rewrite: s.rewrite,
      int8: ranges !== undefined,
      int8Graph: s.int8Graph,
      int8Weights,
      keepClasses: s.keepClasses ? Array.from(s.keepClasses) : undefined,
      ...(useHead ? { latinHead: useHead.digest, latinMode: mode } : {}),
    };
    // A transform that throws is not cached: the fallback below and its log line happen every time.
    const prepared = cachedPreparation(s.cacheDir ?? false, digest, key, () => transformModel(bytes, settings), s.log);
    if (prepared.latinHead && useHead) return { ...prepared, classes: useHead.classes };
    if (prepared.latinGate && useHead) return { ...prepared, gateClasses: useHead.classes };
    return prepared;
  } catch (err) {
    s.log(`ocr: ${modelPath} loaded as it is (${err instanceof Error ? err.message : String(err)})`);
    return { bytes, prunedClasses: false };
  }
}
