import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { warpQuadToTensor } from '../image/warp.image.ts';
import { loadCharset, narrowCharset } from '../recognition/charset.ts';
import { ctcGreedyDecode } from '../recognition/ctc.decode.ts';
import { drawPage } from '../../test/synthetic.page.ts';
import { calibrationFor } from './calibration.store.ts';
import { prepareForQuantization, transformModel } from './model.prepare.ts';
import { quantizeRegion } from './quantize.ts';
import { readIntAttr, type OnnxNode } from './onnx.model.ts';

const dir = defaultModelDir();

describe('int8 recognizer with pruned classes', () => {
  it.each([
    ['integer', 's8'],
    ['qdq', 's8'],
    ['integer', 'u8'],
    ['qdq', 'u8'],
  ] as const)('reads a line like the float model, over the Latin classes only (%s graph, %s weights)', async (int8Graph, int8Weights) => {
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx')));
    const full = loadCharset(path.join(dir, 'ppocr_keys_v1.txt'), true);
    const ranges = calibrationFor(bytes);
    expect(ranges).toBeDefined();
    const int8 = transformModel(bytes, { rewrite: true, int8Ranges: ranges, keepClasses: full.allowed, int8Graph, int8Weights });
    expect(int8.prunedClasses).toBe(true);
    const session = await ort.InferenceSession.create(int8.bytes, { intraOpNumThreads: 1, logSeverityLevel: 3 });
    const text = 'Quantized total 1,234.56';
    const { raster } = drawPage(640, 60, [{ text, x: 10, y: 42, size: 32 }]);
    const width = Math.round((48 * 640) / 60);
    const x = new Float32Array(3 * 48 * width);
    warpQuadToTensor(raster, [[0, 0], [640, 0], [640, 60], [0, 60]], x, 0, width, 48, width, 48 * width);
    const out = (await session.run({ x: new ort.Tensor('float32', x, [1, 3, 48, width]) }))[session.outputNames[0]!]!;
    const [, steps, classes] = out.dims as number[];
    expect(classes).toBe(full.allowed.length);
    const decoded = ctcGreedyDecode(out.data as Float32Array, 0, steps!, classes!, narrowCharset(full));
    expect(decoded.map((c) => c.text).join('')).toBe(text);
    await session.release();
  });

  it('keeps the integer region in uint8: convolutions, hard-swish and affines, no float activations between them', () => {
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx')));
    const model = prepareForQuantization(bytes);
    const floatConvs = model.nodes.filter((n) => n.opType === 'Conv').length;
    const heavy = (n: OnnxNode) => {
      const w = model.constants.get(n.inputs[1] ?? '');
      return !!w && (readIntAttr(n, 'group') ?? 1) === 1 && w.dims.reduce((a, b) => a * b, 1) >= 8192;
    };
    const stats = quantizeRegion(model, calibrationFor(bytes)!, heavy);
    // Every convolution from the first heavy one on, depthwise included; the stem stays float.
    expect(stats.convs).toBeGreaterThan(25);
    expect(model.nodes.filter((n) => n.opType === 'Conv').length).toBe(floatConvs - stats.convs);
    expect(stats.hardSwish).toBeGreaterThan(15);
    expect(stats.foldedAffine).toBeGreaterThan(5);
    // Float islands only where the graph needs them (squeeze-excite, pooling, the sequence neck).
    expect(stats.dequantized).toBeLessThan(20);
    expect(model.nodes.some((n) => n.domain === 'com.microsoft' && n.opType === 'QLinearMul')).toBe(true);
  });

  it('has no calibration for an unknown model', () => {
    expect(calibrationFor(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
