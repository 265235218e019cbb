/**
 * Computes activation ranges for the int8 recognizer/detector from synthetic text (never from
 * evaluation data) and writes them next to the engine:
 *
 *   tsx libs/ocr/scripts/calibrate.ts [rec|det]
 *
 * Output: libs/ocr/src/prepare/calibration/<model sha256 prefix>.json, used by prepare/model.load.ts when
 * `int8` is on and the model file's hash matches.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { defaultModelDir } from '../src/engine.options.ts';
import { prepareForQuantization, calibrationTensors } from '../src/prepare/model.prepare.ts';
import { syntheticDetPages, syntheticRecCrops } from './calibration.data.ts';

const kind = (process.argv[2] ?? 'rec') as 'rec' | 'det';
const file = path.join(defaultModelDir(), kind === 'rec' ? 'ch_PP-OCRv4_rec_infer.onnx' : 'ch_PP-OCRv4_det_infer.onnx');
const bytes = new Uint8Array(readFileSync(file));
const hash = createHash('sha256').update(bytes).digest('hex');
const model = prepareForQuantization(bytes);
const names = calibrationTensors(model);
model.outputs.push(...names.filter((n) => n !== 'x'));
const session = await ort.InferenceSession.create(model.encode(), { intraOpNumThreads: 2, logSeverityLevel: 3 });
const ranges: Record<string, { min: number; max: number }> = {};
const inputs = kind === 'rec' ? syntheticRecCrops(160, 7) : syntheticDetPages(12, 11);
let i = 0;
for (const x of inputs) {
  const out = await session.run({ x: new ort.Tensor('float32', x.data, x.dims) }, names.filter((n) => n !== 'x').concat(session.outputNames[0]!));
  const observe = (name: string, d: Float32Array) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < d.length; k++) {
      const v = d[k]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const r = (ranges[name] ??= { min: 0, max: 0 });
    r.min = Math.min(r.min, lo);
    r.max = Math.max(r.max, hi);
  };
  observe('x', x.data);
  for (const n of names) if (out[n]) observe(n, out[n]!.data as Float32Array);
  if (++i % 20 === 0) process.stderr.write(`${i}\n`);
}
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/prepare/calibration');
mkdirSync(dir, { recursive: true });
const out = path.join(dir, `${hash.slice(0, 16)}.json`);
writeFileSync(out, `${JSON.stringify({ model: path.basename(file), sha256: hash, samples: i, ranges }, null, 0)}\n`);
process.stderr.write(`wrote ${out} (${Object.keys(ranges).length} tensors)\n`);
