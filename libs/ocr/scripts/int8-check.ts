/**
 * Dev check of int8 accuracy on synthetic lines (a different seed from calibration): CER of the
 * float and int8 recognizers against the rendered text.
 *   tsx libs/ocr/scripts/int8-check.ts [count]
 */
import path from 'node:path';
import { defaultModelDir } from '../src/engine.options.ts';
import { createSession, ort, prepareModel } from '../src/onnx/session.factory.ts';
import { loadCharset, narrowCharset } from '../src/recognition/charset.ts';
import { ctcGreedyDecode } from '../src/recognition/ctc.decode.ts';
import { cer } from '../test/synthetic.page.ts';
import { syntheticRecCrops } from './calibration.data.ts';

const dir = defaultModelDir();
const full = loadCharset(path.join(dir, 'ppocr_keys_v1.txt'), true);
const charset = narrowCharset(full);
const crops = syntheticRecCrops(Number(process.argv[2] ?? 300), 12345);
for (const int8 of [false, true]) {
  const m = await prepareModel(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), { rewrite: true, int8, keepClasses: full.allowed, log: console.log });
  const s = await createSession(m.bytes, { intraOpThreads: 2, executionProviders: ['cpu'], log: console.log });
  let errs = 0;
  let chars = 0;
  for (const c of crops) {
    const out = (await s.run({ x: new ort.Tensor('float32', c.data, c.dims) }))[s.outputNames[0]!]!;
    const [, T, C] = out.dims as number[];
    const text = ctcGreedyDecode(out.data as Float32Array, 0, T!, C!, charset).map((d) => d.text).join('');
    errs += cer(c.text!, text) * c.text!.length;
    chars += c.text!.length;
  }
  console.log(int8 ? 'int8 ' : 'float', 'CER', (errs / chars).toFixed(4));
}
