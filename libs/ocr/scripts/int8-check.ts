/**
 * Dev check of int8 accuracy on synthetic lines (a different seed from calibration): CER of the
 * float, QDQ and integer-region recognizers against the rendered text, on English lines and on
 * French/German/Spanish ones, with the share of accented letters kept (accents are the first
 * thing quantization noise loses: the model's margin on them is thin).
 *   tsx libs/ocr/scripts/int8-check.ts [count]
 */
import path from 'node:path';
import { defaultModelDir } from '../src/engine.options.ts';
import { createSession, ort } from '../src/onnx/session.factory.ts';
import { prepareModel } from '../src/prepare/model.load.ts';
import { loadCharset, narrowCharset } from '../src/recognition/charset.ts';
import { ctcGreedyDecode } from '../src/recognition/ctc.decode.ts';
import { cer } from '../test/synthetic.page.ts';
import { ACCENTED_WORDS, syntheticRecCrops } from './calibration.data.ts';

const dir = defaultModelDir();
const full = loadCharset(path.join(dir, 'ppocr_keys_v1.txt'), true);
const charset = narrowCharset(full);
const count = Number(process.argv[2] ?? 300);
const sets = { english: syntheticRecCrops(count, 12345), accented: syntheticRecCrops(count, 12346, ACCENTED_WORDS) };
const ACCENTS = [...'éèàäáüúÜÉíóòÓ'];
for (const mode of ['float', 'qdq', 'integer'] as const) {
  const int8 = mode !== 'float';
  const m = await prepareModel(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), { rewrite: true, int8, int8Graph: int8 ? mode : undefined, keepClasses: full.allowed, log: console.log });
  const s = await createSession(m.bytes, { intraOpThreads: 2, executionProviders: ['cpu'], log: console.log });
  const cells: string[] = [];
  for (const [name, crops] of Object.entries(sets)) {
    let errs = 0;
    let chars = 0;
    let accents = 0;
    let kept = 0;
    for (const c of crops) {
      const out = (await s.run({ x: new ort.Tensor('float32', c.data, c.dims) }))[s.outputNames[0]!]!;
      const [, T, C] = out.dims as number[];
      const text = ctcGreedyDecode(out.data as Float32Array, 0, T!, C!, charset).map((d) => d.text).join('');
      errs += cer(c.text!, text) * c.text!.length;
      chars += c.text!.length;
      for (const a of ACCENTS) {
        const want = c.text!.split(a).length - 1;
        accents += want;
        kept += Math.min(want, text.split(a).length - 1);
      }
    }
    cells.push(`${name} CER ${(errs / chars).toFixed(4)}${accents ? `, accents kept ${(kept / accents).toFixed(3)}` : ''}`);
  }
  console.log(mode.padEnd(8), cells.join(' | '));
  await s.release();
}
