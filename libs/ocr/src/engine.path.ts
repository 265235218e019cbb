import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { cpuFlags, int8WeightsForCpu, type Int8Weights } from './prepare/cpu.flags.ts';
import { median } from './geometry/index.ts';
import { createSession, ort, type SessionSettings } from './onnx/session.factory.ts';
import { modelDigest, type PreparedModel } from './prepare/prepared-model.cache.ts';

/**
 * How a model's heavy convolutions run: 'int8' with the weights this CPU adds without overflow
 * (cpu.flags.ts), 'u7s8' with int8 weights and 7-bit activations (offered only where 'int8' means
 * uint8 weights, see `int8Variants`), or 'float'.
 */
export type NumericPath = 'int8' | 'u7s8' | 'float';

/** Which variant of a model this CPU runs faster, with the timings that decided it. */
export interface PathChoice {
  path: NumericPath;
  /** Median CPU milliseconds of one probe run, per variant measured (absent when nothing was measured). */
  ms?: Partial<Record<NumericPath, number>>;
}

/** Another variant must beat int8 by this share to replace it (int8 was calibrated to read the same). */
const MUST_WIN_BY = 0.05;
const PROBE_RUNS = 5;

/**
 * The CPU as it matters to kernels: model name and the vector extensions onnxruntime dispatches on
 * (int8 is fast with VNNI, slow without; an EPYC with AVX2 only favours float more often).
 */
export function cpuIdentity(): string {
  const flags = cpuFlags();
  const simd = ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp', 'i8mm'].filter((f) => flags.includes(f));
  return `${cpus()[0]?.model?.trim() ?? 'unknown CPU'}${simd.length ? ` (${simd.join(' ')})` : ''}`;
}

/** A deterministic probe input of `dims` (values spread like a normalised image). */
function probeInput(dims: readonly number[]): Float32Array {
  const data = new Float32Array(dims.reduce((a, d) => a * d, 1));
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = (s / 2147483648) * 4 - 2;
  }
  return data;
}

/**
 * Median CPU milliseconds (this process's, all threads) of one probe run per variant: what Folio is
 * scored on (pages per CPU-second), and steadier than wall time on a shared machine, where a
 * neighbour's load stretches wall time by several times (a recognizer probe on a 2-core EPYC at load
 * 30: 1.31 vs 1.37 s wall for u7s8 vs int8, where CPU time gave 113 vs 139 ms). Runs alternate between
 * the variants (the order swapped each round) so what load remains falls on all alike.
 */
async function timeVariants(
  models: Partial<Record<NumericPath, PreparedModel>>,
  dims: readonly number[],
  settings: SessionSettings,
): Promise<Partial<Record<NumericPath, number>>> {
  const order = Object.keys(models) as NumericPath[];
  const sessions: Partial<Record<NumericPath, InferenceSession>> = {};
  try {
    for (const v of order) sessions[v] = await createSession(models[v]!.bytes, settings);
    const input = probeInput(dims);
    const once = async (variant: NumericPath): Promise<number> => {
      const session = sessions[variant]!;
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [...dims]) };
      const t0 = process.cpuUsage();
      const out = await session.run(feeds);
      const { user, system } = process.cpuUsage(t0);
      const ms = (user + system) / 1000;
      for (const t of Object.values(out)) t.dispose();
      return ms;
    };
    for (const v of order) await once(v); // the first run allocates and plans
    const times = new Map<NumericPath, number[]>(order.map((v) => [v, []]));
    for (let round = 0; round < PROBE_RUNS; round++) {
      for (const v of round % 2 ? [...order].reverse() : order) times.get(v)!.push(await once(v));
    }
    return Object.fromEntries(order.map((v) => [v, median(times.get(v)!)]));
  } finally {
    await Promise.all(Object.values(sessions).map((session) => session.release()));
  }
}

/** The fastest of the timed variants, int8 unless another is clearly faster. */
export function fastestOf(ms: Partial<Record<NumericPath, number>>): NumericPath {
  const timed = (Object.entries(ms) as [NumericPath, number][]).sort((a, b) => a[1] - b[1]);
  const [fastest] = timed[0] ?? ['int8'];
  return ms.int8 === undefined || (ms[fastest] ?? Infinity) < ms.int8 * (1 - MUST_WIN_BY) ? fastest : 'int8';
}

/**
 * The variants worth timing on this CPU: int8 and float, and 'u7s8' where int8 weights are stored
 * as uint8 (x86 without VNNI), whose u8×u8 kernels run at about half the u8×s8 throughput.
 */
export function int8Variants(weights: Int8Weights = int8WeightsForCpu()): NumericPath[] {
  return weights === 'u8' ? ['int8', 'u7s8', 'float'] : ['int8', 'float'];
}

/**
 * Times the given variants of a model on this CPU (a few runs of a probe input of `dims`) and
 * returns the fastest (`fastestOf`). The choice is kept in `cacheDir` under a key of the CPU
 * identity, the thread count and every prepared model, so each machine measures once; without a
 * cache directory it is measured at every start.
 */
export async function fastestVariant(
  variants: Partial<Record<NumericPath, () => Promise<PreparedModel>>> & Record<'int8' | 'float', () => Promise<PreparedModel>>,
  dims: readonly number[],
  settings: SessionSettings,
  cacheDir: string | false,
): Promise<{ model: PreparedModel; choice: PathChoice }> {
  const models: Partial<Record<NumericPath, PreparedModel>> = {};
  for (const [v, prepare] of Object.entries(variants) as [NumericPath, () => Promise<PreparedModel>][]) models[v] = await prepare();
  const float = models.float!;
  // No calibration for this model: int8 was not applied, there is nothing to choose.
  if (Buffer.from(models.int8!.bytes).equals(Buffer.from(float.bytes))) return { model: float, choice: { path: 'float' } };
  // `probe` names the measure: choices timed in wall time by earlier versions are measured again.
  const hash = createHash('sha256').update(JSON.stringify({ cpu: cpuIdentity(), threads: settings.intraOpThreads, providers: settings.executionProviders, dims, probe: 'cpu' }));
  for (const m of Object.values(models)) hash.update(modelDigest(m.bytes));
  const key = hash.digest('hex').slice(0, 32);
  const file = cacheDir === false ? undefined : path.join(cacheDir, `${key}.path.json`);
  let choice: PathChoice | undefined;
  if (file) {
    try {
      choice = JSON.parse(readFileSync(file, 'utf8')) as PathChoice;
    } catch {
      // Not measured on this machine yet.
    }
  }
  if (!choice || !models[choice.path]) {
    const ms = await timeVariants(models, dims, settings);
    choice = { path: fastestOf(ms), ms };
    if (file) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify(choice));
        renameSync(temporary, file);
      } catch {
        // An unwritable cache is reported by the model cache already; measure again next time.
      }
    }
  }
  return { model: models[choice.path]!, choice };
}
