import ort from 'onnxruntime-node';
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
