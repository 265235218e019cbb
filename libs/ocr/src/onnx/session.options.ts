import ort from 'onnxruntime-node';
import { encodeMessage, int, msg, str } from '../prepare/protobuf.wire.ts';

/** ONNX Runtime graph optimisation levels, as onnxruntime-node spells them. */
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'layout', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

/** How every ONNX session of an engine is opened. One place builds ORT's options from it. */
export interface SessionConfig {
  /**
   * Execution providers in order of preference ('cuda', 'tensorrt', 'webgpu', 'dml', 'cpu', …);
   * CPU is always appended as the last resort. @defaultValue ['cpu']
   */
  executionProviders: readonly string[];
  /** Threads one operator may use. @defaultValue 2 (engine option `threads`) */
  intraOpThreads: number;
  /**
   * Threads running independent graph branches at once. 1 keeps ORT's sequential executor (the
   * PP-OCR graphs are chains: nothing to overlap); above 1 switches to the parallel executor.
   * @defaultValue 1
   */
  interOpThreads: number;
  /** @defaultValue 'all' */
  graphOptimizationLevel: GraphOptimizationLevel;
  /** GPU ordinal for the providers that take one (cuda, tensorrt, dml). @defaultValue 0 */
  deviceId: number;
  /** ORT's memory pattern (see SessionSettings.memoryPattern in session.factory.ts). @defaultValue true */
  memoryPattern?: boolean;
}

/** Providers that address one device among several. */
const DEVICE_PROVIDERS = new Set(['cuda', 'tensorrt', 'dml']);

/** A provider name as ORT's `executionProviders` takes it, with the device where it has one. */
function providerEntry(name: string, deviceId: number): ort.InferenceSession.ExecutionProviderConfig {
  // cuda, tensorrt and dml all take `deviceId` (ORT's option types spell it per provider).
  return DEVICE_PROVIDERS.has(name) ? ({ name, deviceId } as ort.InferenceSession.ExecutionProviderOption) : name;
}

/**
 * ORT session options for `providers` (in order; CPU added last when missing). Idle threads sleep
 * instead of spinning: spinning doubled the CPU time per page with 2 threads and starved the other
 * engines and processes on the same cores.
 */
export function buildSessionOptions(c: SessionConfig, providers: readonly string[] = c.executionProviders): ort.InferenceSession.SessionOptions {
  const list = providers.includes('cpu') ? providers : [...providers, 'cpu'];
  return {
    executionProviders: list.map((p) => providerEntry(p, c.deviceId)),
    intraOpNumThreads: c.intraOpThreads,
    interOpNumThreads: c.interOpThreads,
    executionMode: c.interOpThreads > 1 ? 'parallel' : 'sequential',
    graphOptimizationLevel: c.graphOptimizationLevel,
    // Warnings about initializers the optimizer drops are noise for rewritten graphs.
    logSeverityLevel: 3,
    // Denormal floats (tiny activations on blank page areas) take the slow path on x86; as zero
    // they read the same text, ~3% less detector and recognizer CPU (bench:speed).
    extra: { session: { set_denormal_as_zero: '1', intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    enableMemPattern: c.memoryPattern ?? true,
  };
}

/** The first line of an error, which is where ORT says what went wrong. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}

let probeModel: Uint8Array | undefined;

/** A one-node model (y = Identity(x), float[1]): opening it is enough to load a provider. */
function identityModel(): Uint8Array {
  const tensor = (name: string) => [str(1, name), msg(2, [msg(1, [int(1, 1), msg(2, [msg(1, [int(1, 1)])])])])];
  const graph = [msg(1, [str(1, 'x'), str(2, 'y'), str(4, 'Identity')]), str(2, 'provider-probe'), msg(11, tensor('x')), msg(12, tensor('y'))];
  return (probeModel ??= encodeMessage([int(1, 8), msg(7, graph), msg(8, [str(1, ''), int(2, 13)])]));
}

const resolved = new Map<string, Promise<string[]>>();

/**
 * The requested providers that can actually be loaded here, in order, CPU last. Each one is tried
 * once per process on a one-node model; one that cannot load (CUDA and TensorRT libraries are not
 * shipped in the npm package; WebGPU finds no adapter on CPU hosts) is dropped with ONE `warn`
 * line naming it and ORT's error. Engines opened with the result never retry it.
 */
export function resolveExecutionProviders(c: SessionConfig, warn: (message: string) => void): Promise<string[]> {
  const wanted = [...new Set(c.executionProviders.filter((p) => p !== 'cpu'))];
  const key = `${wanted.join(',')}@${c.deviceId}`;
  let result = resolved.get(key);
  if (!result) {
    result = (async () => {
      const usable: string[] = [];
      for (const p of wanted) {
        try {
          const session = await ort.InferenceSession.create(identityModel(), {
            executionProviders: [providerEntry(p, c.deviceId)],
            logSeverityLevel: 4,
          });
          await session.release();
          usable.push(p);
        } catch (err) {
          warn(`ocr: execution provider '${p}' is unavailable, falling back to ${[...wanted.slice(wanted.indexOf(p) + 1), 'cpu'].join(', ')}: ${firstLine(err)}`);
        }
      }
      return [...usable, 'cpu'];
    })();
    resolved.set(key, result);
  }
  return result;
}
