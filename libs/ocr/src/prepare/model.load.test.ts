import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { prepareModel } from './model.load.ts';

describe('prepareModel', () => {
  it('says so when a model has no int8 calibration and loads it in float', async () => {
    const lines: string[] = [];
    const model = await prepareModel(path.join(defaultModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), { rewrite: false, int8: true, log: (m) => lines.push(m) });
    expect(model.bytes.length).toBeGreaterThan(100_000);
    expect(lines.join('\n')).toMatch(/no int8 calibration/);
  });
});
