/**
 * Step 1 of training the Latin head (see README.md here): renders seeded synthetic lines, runs the
 * frozen PP-OCRv4 recognizer on them as the engine prepares it (graph rewrites, int8 or float) and
 * writes the per-timestep features its classifier reads, with the lines' class labels.
 *
 *   npx tsx libs/ocr/scripts/latin-head/extract-features.ts --count 12000 --seed 1 --variant int8 --out /tmp/latin-head/int8.feat
 *
 * Output: `<out>` (records: int32 T, int32 L, int32 labels[L], float32 features[T×D]) and
 * `<out>.json` (class list, feature size, the model's digest) plus `<out>.init.bin` (the existing
 * W [D×K] then b [K] for the class list; zeros for classes the model lacks).
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { defaultModelDir } from '../../src/engine.options.ts';
import { warpQuadToTensor } from '../../src/image/warp.image.ts';
import { calibrationFor } from '../../src/prepare/calibration.store.ts';
import { optimizePaddleGraph } from '../../src/prepare/graph.optimize.ts';
import { findClassifierHead } from '../../src/prepare/head.find.ts';
import { parseOnnxModel } from '../../src/prepare/onnx.model.ts';
import { modelDigest } from '../../src/prepare/prepared-model.cache.ts';
import { int8WeightsForCpu, type Int8Weights } from '../../src/prepare/cpu.flags.ts';
import { transformModel } from '../../src/prepare/model.prepare.ts';
import { loadCharset } from '../../src/recognition/charset.ts';
import { cropInputWidth, REC_HEIGHT } from '../../src/recognition/rec.model.ts';
import { printStyle, receiptStyle, renderLine, randomStyle, TRAIN_FONTS } from './latin.render.ts';
import { latinAlphabet, loadWords, prng, receiptLine, textLine, typographicLine } from './latin.text.ts';

const { values: a } = parseArgs({
  options: {
    count: { type: 'string', default: '12000' },
    seed: { type: 'string', default: '1' },
    variant: { type: 'string', default: 'int8' },
    out: { type: 'string', default: '/tmp/latin-head/train.feat' },
    threads: { type: 'string', default: '2' },
    /** int8 weight kind; default: what the engine picks for this CPU (cpu.flags.ts). */
    weights: { type: 'string' },
    'receipt-share': { type: 'string', default: '0.35' },
    /** Share of typographic running-text lines in small print (`typographicLine`, `printStyle`); 0 draws none (and no extra random numbers). */
    'typo-share': { type: 'string', default: '0' },
    /**
     * An earlier tensor ([N, C, 1, T], e.g. the backbone's pooled output `p2o.AveragePool.1`) whose C
     * values per timestep are appended to the classifier's features in the records (D = 120 + C).
     */
    extra: { type: 'string' },
  },
});

/**
 * The head's classes: blank, every symbol the pruned model already reads (one class per symbol:
 * full-width look-alikes are folded into their ASCII twin), then the Latin alphabet's new ones.
 * Each with the original class it starts from (-1: new).
 */
export function headClasses(dictPath: string): { classes: string[]; origin: number[] } {
  const full = loadCharset(dictPath, true);
  const raw = ['', ...readFileSync(dictPath, 'utf8').replace(/\r/g, '').split('\n').filter((_, i, xs) => i < xs.length - 1 || xs[i] !== ''), ' '];
  const origin = new Map<string, number>();
  for (const i of full.allowed) {
    if (i === 0) continue;
    const sym = full.symbols[i]!;
    if (!origin.has(sym) || raw[i] === sym) origin.set(sym, i);
  }
  const classes = [''];
  const from = [0];
  for (const [sym, i] of origin) (classes.push(sym), from.push(i));
  for (const ch of latinAlphabet()) if (!origin.has(ch)) (classes.push(ch), from.push(-1));
  return { classes, origin: from };
}

async function main(): Promise<void> {
  const modelPath = path.join(defaultModelDir(), 'ch_PP-OCRv4_rec_infer.onnx');
  const dictPath = path.join(defaultModelDir(), 'ppocr_keys_v1.txt');
  const bytes = new Uint8Array(readFileSync(modelPath));
  const float = parseOnnxModel(bytes);
  optimizePaddleGraph(float);
  const head = findClassifierHead(float);
  if (!head) throw new Error('recognizer graph does not end in Softmax(MatMul + Add)');
  const w = float.constants.get(head.weight)!;
  const b = float.constants.get(head.bias)!;
  const [dim, total] = head.dims;
  // The engine's own preparation (model.load.ts), weight kind included: on x86 without VNNI the
  // int8 weights are stored as uint8, and features of any other kind are not what the head will see.
  const int8Weights = a.variant === 'int8' ? ((a.weights as Int8Weights | undefined) ?? int8WeightsForCpu()) : undefined;
  let ranges;
  if (a.variant === 'int8') {
    ranges = calibrationFor(bytes);
    if (!ranges) throw new Error('no calibration for the recognizer');
  }
  const model = parseOnnxModel(transformModel(bytes, { rewrite: true, int8Ranges: ranges, int8Weights }).bytes);
  if (!model.nodes.some((n) => n.outputs.includes(head.features))) throw new Error(`prepared graph lost ${head.features}`);
  model.outputs.push(head.features);
  const extra = a.extra;
  if (extra) {
    if (!model.nodes.some((n) => n.outputs.includes(extra))) throw new Error(`prepared graph has no ${extra}`);
    model.outputs.push(extra);
  }
  const session = await ort.InferenceSession.create(model.encode(), { intraOpNumThreads: Number(a.threads), interOpNumThreads: 1, logSeverityLevel: 3 });

  const { classes, origin } = headClasses(dictPath);
  const index = new Map(classes.map((c, i) => [c, i]));
  const init = new Float32Array(dim * classes.length + classes.length);
  const k = classes.length;
  for (let j = 0; j < k; j++) {
    const o = origin[j]!;
    if (o < 0) continue;
    for (let d = 0; d < dim; d++) init[d * k + j] = w.data[d * total + o]!;
    init[dim * k + j] = b.data[o]!;
  }
  mkdirSync(path.dirname(a.out!), { recursive: true });
  writeFileSync(`${a.out}.init.bin`, init);
  const typoShare = Number(a['typo-share']);
  const meta = { model: path.basename(modelPath), sha256: modelDigest(bytes), features: head.features, dim, classes, origin, variant: a.variant, int8Weights, receiptShare: Number(a['receipt-share']), seed: Number(a.seed), count: Number(a.count) };
  // `dim` stays the classifier's width (W's rows); `extraDim` more values follow it in each timestep.
  let extraDim = 0;
  const writeMeta = () => writeFileSync(`${a.out}.json`, JSON.stringify({ ...meta, ...(typoShare ? { typoShare } : {}), ...(extra ? { extra, extraDim } : {}) }));
  writeMeta();

  const pool = loadWords('train');
  const receiptShare = Number(a['receipt-share']);
  const r = prng(Number(a.seed));
  const fd = openSync(a.out!, 'w');
  const count = Number(a.count);
  const chunk = 64;
  let written = 0;
  const started = Date.now();
  for (let base = 0; base < count; base += chunk) {
    const lines = [];
    for (let i = 0; i < Math.min(chunk, count - base); i++) {
      const typo = typoShare > 0 && r() < typoShare;
      const receipt = !typo && r() < receiptShare;
      const text = typo ? typographicLine(r, pool) : receipt ? receiptLine(r, pool) : textLine(r, pool);
      const style = typo ? printStyle(r) : receipt ? receiptStyle(r) : randomStyle(r, TRAIN_FONTS);
      const raster = await renderLine(r, text, style, receipt);
      const quad: [number, number][] = [[0, 0], [raster.width, 0], [raster.width, raster.height], [0, raster.height]];
      lines.push({ text, raster, quad, width: cropInputWidth(quad as never) });
    }
    lines.sort((x, y) => x.width - y.width);
    for (let i = 0; i < lines.length; ) {
      const padded = Math.ceil(lines[i]!.width / 8) * 8;
      let end = i + 1;
      while (end < lines.length && lines[end]!.width <= padded * 1.25 && (end - i + 1) * lines[end]!.width <= 1600) end++;
      const batch = lines.slice(i, end);
      const pw = Math.ceil(batch[batch.length - 1]!.width / 8) * 8;
      const plane = REC_HEIGHT * pw;
      const input = new Float32Array(batch.length * 3 * plane);
      batch.forEach((l, j) => warpQuadToTensor(l.raster, l.quad as never, input, j * 3 * plane, l.width, REC_HEIGHT, pw, plane));
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, pw]) });
      const feats = out[head.features]!;
      const [, steps] = feats.dims as number[];
      const data = feats.data as Float32Array;
      const more = extra ? out[extra]! : undefined;
      if (more && !extraDim) ((extraDim = (more.dims as number[])[1]!), writeMeta());
      if (more && (more.dims as number[])[3] !== steps) throw new Error(`${extra} has ${(more.dims as number[])[3]} timesteps, the features ${steps}`);
      const stride = pw / steps!;
      batch.forEach((l, j) => {
        const labels = [...l.text].map((c) => index.get(c) ?? -1);
        if (labels.includes(-1)) return;
        const own = Math.min(steps!, Math.ceil(l.width / stride) + 1);
        const header = Int32Array.of(own, labels.length, ...labels);
        writeSync(fd, new Uint8Array(header.buffer));
        let f = data.slice(j * steps! * dim, (j * steps! + own) * dim);
        if (more) {
          // [N, C, 1, T] → per timestep: the classifier's D values, then the C extra ones.
          const md = more.data as Float32Array;
          const wide = dim + extraDim;
          const g = new Float32Array(own * wide);
          for (let t = 0; t < own; t++) {
            g.set(f.subarray(t * dim, (t + 1) * dim), t * wide);
            for (let c = 0; c < extraDim; c++) g[t * wide + dim + c] = md[(j * extraDim + c) * steps! + t]!;
          }
          f = g;
        }
        writeSync(fd, new Uint8Array(f.buffer));
        written++;
      });
      i = end;
    }
    if ((base / chunk) % 20 === 0) process.stderr.write(`${written} lines, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  closeSync(fd);
  process.stderr.write(`wrote ${written} lines to ${a.out} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

await main();
