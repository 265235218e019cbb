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
import { transformModel } from './model.prepare.ts';

const dir = defaultModelDir();

describe('int8 recognizer with pruned classes', () => {
  it('reads a line like the float model, over the Latin classes only', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx')));
    const full = loadCharset(path.join(dir, 'ppocr_keys_v1.txt'), true);
    const ranges = calibrationFor(bytes);
    expect(ranges).toBeDefined();
    const int8 = transformModel(bytes, { rewrite: true, int8Ranges: ranges, keepClasses: full.allowed });
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

  it('has no calibration for an unknown model', () => {
    expect(calibrationFor(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
