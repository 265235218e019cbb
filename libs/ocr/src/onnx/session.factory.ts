import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { optimizePaddleGraph } from './graph.optimize.ts';
import { parseOnnxModel } from './onnx.model.ts';

/** Execution provider names as onnxruntime-node spells them ('cpu', 'cuda', 'tensorrt', 'webgpu', …). */
export type ExecutionProvider = string;

export interface SessionSettings {
  /** Threads one operator may use. @defaultValue 2 */
  intraOpThreads: number;
  /** Providers in order of preference; CPU is always the last resort. @defaultValue ['cpu'] */
  executionProviders: readonly ExecutionProvider[];
  /** Apply the exact PaddlePaddle-export rewrites of graph.optimize.ts before loading. @defaultValue true */
  rewriteGraph: boolean;
  /** Receives one line when a provider cannot be loaded and the next one is used. */
  log: (message: string) => void;
}

/** The model bytes to load: rewritten when possible, else the file as it is (with a log line). */
async function loadModel(modelPath: string, settings: SessionSettings): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(modelPath));
  if (!settings.rewriteGraph) return bytes;
  try {
    const model = parseOnnxModel(bytes);
    optimizePaddleGraph(model);
    return model.encode();
  } catch (err) {
    settings.log(`ocr: ${modelPath} loaded without graph rewrites (${err instanceof Error ? err.message : String(err)})`);
    return bytes;
  }
}

/**
 * Opens an ONNX session, trying each provider list suffix in turn: `['cuda','cpu']` falls back to
 * `['cpu']` with a log line naming the provider and its error (CUDA libraries are not shipped in
 * the npm package, so this is the common case on CPU hosts).
 */
export async function createSession(modelPath: string, settings: SessionSettings): Promise<ort.InferenceSession> {
  const model = await loadModel(modelPath, settings);
  const providers = settings.executionProviders.filter((p) => p !== 'cpu');
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  for (let i = 0; i < providers.length; i++) {
    const list = [...providers.slice(i), 'cpu'];
    try {
      return await ort.InferenceSession.create(model, { ...base, executionProviders: list });
    } catch (err) {
      settings.log(
        `ocr: execution provider '${providers[i]}' could not be loaded for ${modelPath} (${
          err instanceof Error ? err.message.split('\n')[0] : String(err)
        }); trying ${list.slice(1).join(', ')}`,
      );
    }
  }
  return ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
}

export { ort };
