import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { createSession, prepareModel } from './session.factory.ts';

describe('createSession', () => {
  it('falls back to CPU with a log line when a provider cannot load', async () => {
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const model = await prepareModel(path.join(defaultModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), { rewrite: true, int8: false, log });
    const session = await createSession(model.bytes, { intraOpThreads: 1, executionProviders: ['cuda', 'cpu'], log });
    expect(session.inputNames).toEqual(['x']);
    expect(lines.some((l) => l.includes("'cuda'") && l.includes('cpu'))).toBe(true);
    await session.release();
  });

  it('says so when a model has no int8 calibration and loads it in float', async () => {
    const lines: string[] = [];
    const model = await prepareModel(path.join(defaultModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), { rewrite: false, int8: true, log: (m) => lines.push(m) });
    expect(model.bytes.length).toBeGreaterThan(100_000);
    expect(lines.join('\n')).toMatch(/no int8 calibration/);
  });
});
