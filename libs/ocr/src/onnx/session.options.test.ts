import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { withUsableProviders } from '../engine.session.ts';
import { prepareModel } from '../prepare/model.load.ts';
import { createSession, ort } from './session.factory.ts';
import { buildSessionOptions, resolveExecutionProviders, type SessionConfig } from './session.options.ts';

const base: SessionConfig = { executionProviders: ['cpu'], intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all', deviceId: 0 };

/** The npm package ships the CUDA provider library only when installed with `--onnxruntime-node-install=cuda12`. */
function cudaShipped(): boolean {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so'));
}

describe('buildSessionOptions', () => {
  it('maps providers, device, threads and optimisation level; CPU always last', () => {
    const o = buildSessionOptions({ ...base, executionProviders: ['cuda', 'webgpu'], deviceId: 1, intraOpThreads: 3, interOpThreads: 1, graphOptimizationLevel: 'basic' });
    expect(o.executionProviders).toEqual([{ name: 'cuda', deviceId: 1 }, 'webgpu', 'cpu']);
    expect(o).toMatchObject({ intraOpNumThreads: 3, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'basic' });
    expect(buildSessionOptions({ ...base, interOpThreads: 2 }).executionMode).toBe('parallel');
    expect(buildSessionOptions(base).executionProviders).toEqual(['cpu']);
  });
});

describe('resolveExecutionProviders', () => {
  it.skipIf(cudaShipped())('drops CUDA when it cannot load, with one warn line naming it and the error, and CPU sessions open', async () => {
    const lines: string[] = [];
    const options = await withUsableProviders({ executionProviders: ['cuda', 'cpu'], deviceId: 0, threads: 1 }, (m) => lines.push(m));
    expect(options.executionProviders).toEqual(['cpu']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/execution provider 'cuda' is unavailable, falling back to cpu: .*(shared library|cuda)/i);

    // Asked again in the same process (another engine, another pool thread): no second line.
    expect(await resolveExecutionProviders({ ...base, executionProviders: ['cuda'] }, (m) => lines.push(m))).toEqual(['cpu']);
    expect(lines).toHaveLength(1);

    const model = await prepareModel(path.join(defaultModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), { rewrite: true, int8: false, log: (m) => lines.push(m) });
    const session = await createSession(model.bytes, { intraOpThreads: 1, executionProviders: options.executionProviders, log: (m) => lines.push(m) });
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(3 * 48 * 192).fill(0.5), [1, 3, 48, 192]) });
    expect(out[session.outputNames[0]!]!.dims).toEqual([1, 2]);
    expect(lines).toHaveLength(1);
    await session.release();
  });

  it.runIf(cudaShipped())('keeps CUDA where its libraries are installed', async () => {
    const lines: string[] = [];
    expect(await resolveExecutionProviders({ ...base, executionProviders: ['cuda', 'cpu'] }, (m) => lines.push(m))).toEqual(expect.arrayContaining(['cpu']));
  });
});
