import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { optimizePaddleGraph } from './graph.optimize.ts';
import { parseOnnxModel } from './onnx.model.ts';

async function maxDifference(file: string, dims: number[]): Promise<{ diff: number; stats: Record<string, number> }> {
  const bytes = new Uint8Array(readFileSync(path.join(defaultModelDir(), file)));
  const model = parseOnnxModel(bytes);
  const stats = optimizePaddleGraph(model);
  const opts = { intraOpNumThreads: 1 };
  const [a, b] = await Promise.all([ort.InferenceSession.create(bytes, opts), ort.InferenceSession.create(model.encode(), opts)]);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const x = new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((p, d) => p * d, 1) }, rand), dims);
  const ya = (await a.run({ x }))[a.outputNames[0]!]!.data as Float32Array;
  const yb = (await b.run({ x }))[b.outputNames[0]!]!.data as Float32Array;
  let diff = 0;
  for (let i = 0; i < ya.length; i++) diff = Math.max(diff, Math.abs(ya[i]! - yb[i]!));
  await Promise.all([a.release(), b.release()]);
  return { diff, stats };
}

describe('optimizePaddleGraph', () => {
  it('rewrites the recognizer without changing its output', async () => {
    const { diff, stats } = await maxDifference('ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 160]);
    expect(stats.convAffine).toBeGreaterThan(20);
    expect(stats.hardSwish).toBeGreaterThan(20);
    expect(diff).toBeLessThan(1e-4);
  });

  it('rewrites the detector without changing its output', async () => {
    const { diff, stats } = await maxDifference('ch_PP-OCRv4_det_infer.onnx', [1, 3, 96, 128]);
    expect(stats.hardSwish).toBeGreaterThan(10);
    expect(stats.convTransposeBn).toBe(2);
    expect(stats.residualScale).toBeGreaterThan(5);
    expect(diff).toBeLessThan(1e-4);
  });

  it('round-trips a model it cannot improve byte-compatibly', async () => {
    const { diff } = await maxDifference('ch_ppocr_mobile_v2.0_cls_infer.onnx', [2, 3, 48, 192]);
    expect(diff).toBeLessThan(1e-5);
  });
});
