import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelDir } from '../engine.options.ts';
import { prepareModel } from '../prepare/model.load.ts';
import { createSession } from './session.factory.ts';

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
});
