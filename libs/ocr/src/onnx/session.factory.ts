import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { calibrationFor } from './calibration.store.ts';
import { transformModel, type Int8Graph } from './model.prepare.ts';
import { cachedPreparation, modelDigest } from './prepared-model.cache.ts';
import { buildSessionOptions, firstLine, type GraphOptimizationLevel, type SessionConfig } from './session.options.ts';

/** Execution provider names as onnxruntime-node spells them ('cpu', 'cuda', 'tensorrt', 'webgpu', …). */
export type ExecutionProvider = string;

export interface SessionSettings {
  /** Threads one operator may use. @defaultValue 2 */
  intraOpThreads: number;
  /** Providers in order of preference; CPU is always the last resort. @defaultValue ['cpu'] */
  executionProviders: readonly ExecutionProvider[];
  /** Receives one line when a provider cannot be loaded and the next one is used. */
  log: (message: string) => void;
  /** See `SessionConfig` (session.options.ts). @defaultValue 1 */
  interOpThreads?: number;
  /** @defaultValue 'all' */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** @defaultValue 0 */
  deviceId?: number;
  /**
   * onnxruntime's memory pattern: after the first run of an input shape, one block planned for all
   * of that shape's tensors. Good for the recognizer's many runs; for the detector, which runs one
   * large shape per page, the planned block is fresh memory on the second page (~45k page faults
   * for A4, ~0.1 CPU-s) while the arena alone reuses the first run's. @defaultValue true
   */
  memoryPattern?: boolean | undefined;
}

export interface ModelSettings {
  /** Apply the exact PaddlePaddle-export rewrites of graph.optimize.ts. */
  rewrite: boolean;
  /** Run heavy convolutions in int8 when calibration ranges exist for this model file. */
  int8: boolean;
  /** Keep only these output classes (recognizer). */
  keepClasses?: ArrayLike<number> | undefined;
  /** How int8 is laid out in the graph (model.prepare.ts). @defaultValue 'integer' */
  int8Graph?: Int8Graph | undefined;
  /** Where prepared models are kept between processes (prepared-model.cache.ts). @defaultValue false (nowhere) */
  cacheDir?: string | false | undefined;
  log: (message: string) => void;
}

/**
 * Reads a model file and transforms it as asked; any transform that fails leaves the file as it
 * is, with a log line (users may point at PP-OCR exports these rewrites were not written for).
 */
export async function prepareModel(modelPath: string, s: ModelSettings): Promise<{ bytes: Uint8Array; prunedClasses: boolean }> {
  const bytes = new Uint8Array(await readFile(modelPath));
  const digest = modelDigest(bytes);
  let ranges;
  if (s.int8) {
    ranges = calibrationFor(bytes, digest);
    if (!ranges) s.log(`ocr: no int8 calibration for ${modelPath}; running it in float`);
  }
  if (!s.rewrite && !ranges && !s.keepClasses) return { bytes, prunedClasses: false };
  try {
    const settings = { rewrite: s.rewrite, int8Ranges: ranges, keepClasses: s.keepClasses, int8Graph: s.int8Graph };
    // The ranges follow from the model and the calibration files, both already in the cache key.
    const key = { rewrite: s.rewrite, int8: ranges !== undefined, int8Graph: s.int8Graph, keepClasses: s.keepClasses ? Array.from(s.keepClasses) : undefined };
    // A transform that throws is not cached: the fallback below and its log line happen every time.
    return cachedPreparation(s.cacheDir ?? false, digest, key, () => transformModel(bytes, settings), s.log);
  } catch (err) {
    s.log(`ocr: ${modelPath} loaded as it is (${err instanceof Error ? err.message : String(err)})`);
    return { bytes, prunedClasses: false };
  }
}

/**
 * Opens an ONNX session, trying each provider list suffix in turn: `['cuda','cpu']` falls back to
 * `['cpu']` with a log line naming the provider and its error (CUDA libraries are not shipped in
 * the npm package, so this is the common case on CPU hosts).
 */
export async function createSession(model: Uint8Array, settings: SessionSettings): Promise<ort.InferenceSession> {
  const providers = settings.executionProviders.filter((p) => p !== 'cpu');
  const config: SessionConfig = {
    executionProviders: settings.executionProviders,
    intraOpThreads: settings.intraOpThreads,
    interOpThreads: settings.interOpThreads ?? 1,
    graphOptimizationLevel: settings.graphOptimizationLevel ?? 'all',
    deviceId: settings.deviceId ?? 0,
    memoryPattern: settings.memoryPattern ?? true,
  };
  for (let i = 0; i < providers.length; i++) {
    const list = [...providers.slice(i), 'cpu'];
    try {
      return await ort.InferenceSession.create(model, buildSessionOptions(config, list));
    } catch (err) {
      settings.log(
        `ocr: execution provider '${providers[i]}' could not be loaded (${firstLine(err)}); trying ${list.slice(1).join(', ')}`,
      );
    }
  }
  return ort.InferenceSession.create(model, buildSessionOptions(config, ['cpu']));
}

export { ort };
