import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { cpuFlags } from './prepare/cpu.flags.ts';
import { median } from './geometry/index.ts';
import { createSession, ort, type SessionSettings } from './onnx/session.factory.ts';
import { modelDigest, type PreparedModel } from './prepare/prepared-model.cache.ts';

/** How a model's heavy convolutions run. */
export type NumericPath = 'int8' | 'float';

/** Which variant of a model this CPU runs faster, with the timings that decided it. */
export interface PathChoice {
  path: NumericPath;
  /** Median milliseconds of one probe run, per variant (absent when the path was not measured). */
  ms?: Record<NumericPath, number>;
}

/** The variants agree within this share: int8 is kept (it was calibrated to read the same). */
const FLOAT_MUST_WIN_BY = 0.05;
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
 * Median milliseconds of one probe run per variant. Runs alternate between the variants (the
 * order swapped each round) so a neighbour's load during the probe falls on both alike instead
 * of on whichever variant ran second.
 */
async function timeVariants(models: Record<NumericPath, PreparedModel>, dims: readonly number[], settings: SessionSettings): Promise<Record<NumericPath, number>> {
  const order: NumericPath[] = ['int8', 'float'];
  const sessions = { int8: await createSession(models.int8.bytes, settings), float: await createSession(models.float.bytes, settings) };
  try {
    const input = probeInput(dims);
    const once = async (variant: NumericPath): Promise<number> => {
      const session = sessions[variant];
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [...dims]) };
      const t0 = performance.now();
      const out = await session.run(feeds);
      const ms = performance.now() - t0;
      for (const t of Object.values(out)) t.dispose();
      return ms;
    };
    for (const v of order) await once(v); // the first run allocates and plans
    const times: Record<NumericPath, number[]> = { int8: [], float: [] };
    for (let round = 0; round < PROBE_RUNS; round++) {
      for (const v of round % 2 ? [...order].reverse() : order) times[v].push(await once(v));
    }
    return { int8: median(times.int8), float: median(times.float) };
  } finally {
    await Promise.all([sessions.int8.release(), sessions.float.release()]);
  }
}

/**
 * Times the int8 and float variants of a model on this CPU (a few runs of a probe input of `dims`)
 * and returns the faster: int8 unless float is clearly faster. The choice is kept in `cacheDir`
 * under a key of the CPU identity, the thread count and both prepared models, so each machine
 * measures once; without a cache directory it is measured at every start.
 */
export async function fastestVariant(
  variants: Record<NumericPath, () => Promise<PreparedModel>>,
  dims: readonly number[],
  settings: SessionSettings,
  cacheDir: string | false,
): Promise<{ model: PreparedModel; choice: PathChoice }> {
  const models = { int8: await variants.int8(), float: await variants.float() };
  // No calibration for this model: int8 was not applied, there is nothing to choose.
  if (Buffer.from(models.int8.bytes).equals(Buffer.from(models.float.bytes))) return { model: models.float, choice: { path: 'float' } };
  const key = createHash('sha256')
    .update(JSON.stringify({ cpu: cpuIdentity(), threads: settings.intraOpThreads, providers: settings.executionProviders, dims }))
    .update(modelDigest(models.int8.bytes))
    .update(modelDigest(models.float.bytes))
    .digest('hex')
    .slice(0, 32);
  const file = cacheDir === false ? undefined : path.join(cacheDir, `${key}.path.json`);
  let choice: PathChoice | undefined;
  if (file) {
    try {
      choice = JSON.parse(readFileSync(file, 'utf8')) as PathChoice;
    } catch {
      // Not measured on this machine yet.
    }
  }
  if (!choice || (choice.path !== 'int8' && choice.path !== 'float')) {
    const ms = await timeVariants(models, dims, settings);
    choice = { path: ms.float < ms.int8 * (1 - FLOAT_MUST_WIN_BY) ? 'float' : 'int8', ms };
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
  return { model: models[choice.path], choice };
}
