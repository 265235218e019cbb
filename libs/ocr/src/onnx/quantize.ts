import { ElemType, intAttr, rawConstantNode, readIntsAttr, sortTopologically, type OnnxModel, type OnnxNode } from './onnx.model.ts';

/** Ops whose opset-9 form means the same at opset 13 (others are converted below or refused). */
const SAME_AT_13 = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Relu', 'Sigmoid', 'HardSigmoid', 'Conv', 'MatMul', 'Gemm',
  'BatchNormalization', 'GlobalAveragePool', 'AveragePool', 'MaxPool', 'Concat', 'Reshape', 'Transpose', 'Shape',
  'Cast', 'Constant', 'ReduceMean', 'Softmax', 'Flatten', 'LayerNormalization', 'Identity', 'ConvTranspose',
]);
/** Same meaning from opset 11 on. */
const SAME_FROM_11 = new Set(['Resize', 'Clip']);

function int64Raw(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  return b;
}

let uid = 0;
function int64Constant(model: OnnxModel, base: string, values: readonly number[]): string {
  const name = `${base}__i64_${uid++}`;
  model.nodes.unshift(rawConstantNode(name, [values.length], ElemType.INT64, int64Raw(values)));
  return name;
}

/**
 * Moves a PaddlePaddle opset-9 export to opset 13 (needed for per-channel QuantizeLinear and
 * DequantizeLinear): Slice and Squeeze take their attributes as inputs. Softmax changed meaning
 * at 13 except on the last axis, which is the only use in PP-OCR graphs. Throws on any op it
 * does not know to be safe, so callers can keep the float model.
 */
export function upgradeToOpset13(model: OnnxModel): void {
  if (model.opset >= 13) return;
  for (const n of model.nodes.slice()) {
    if (n.domain !== '') throw new Error(`opset upgrade: custom-domain op ${n.opType}`);
    if (n.opType === 'Slice') {
      if (n.inputs.length > 1) continue;
      const starts = readIntsAttr(n, 'starts') ?? [];
      const ends = readIntsAttr(n, 'ends') ?? [];
      const axes = readIntsAttr(n, 'axes') ?? starts.map((_, i) => i);
      n.inputs.push(int64Constant(model, n.outputs[0]!, starts), int64Constant(model, n.outputs[0]!, ends), int64Constant(model, n.outputs[0]!, axes));
      n.attrs.clear();
    } else if (n.opType === 'Squeeze' || n.opType === 'Unsqueeze') {
      const axes = readIntsAttr(n, 'axes');
      if (axes) n.inputs.push(int64Constant(model, n.outputs[0]!, axes));
      n.attrs.delete('axes');
    } else if (SAME_FROM_11.has(n.opType) && model.opset >= 11) {
      continue;
    } else if (!SAME_AT_13.has(n.opType)) {
      throw new Error(`opset upgrade: ${n.opType} not handled`);
    }
  }
  model.opset = 13;
}

export interface TensorRange {
  min: number;
  max: number;
}

function f32Raw(values: ArrayLike<number>): Uint8Array {
  const f = Float32Array.from(values);
  return new Uint8Array(f.buffer);
}

/** Asymmetric uint8 parameters covering [min, max] and zero. */
function activationParams(r: TensorRange): { scale: number; zero: number } {
  const lo = Math.min(0, r.min);
  const hi = Math.max(0, r.max, lo + 1e-6);
  const scale = (hi - lo) / 255;
  return { scale, zero: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * Symmetric int8 weights with one scale per output channel. A function of its own so the JIT
 * optimizes the loops after a few convolutions (inlined into the big caller they ran ~10× slower).
 */
function quantizeWeights(data: Float32Array, outC: number): { wq: Int8Array; ws: Float32Array } {
  const per = data.length / outC;
  const wq = new Int8Array(data.length);
  const ws = new Float32Array(outC);
  for (let o = 0; o < outC; o++) {
    let m = 0;
    for (let i = o * per; i < (o + 1) * per; i++) m = Math.max(m, Math.abs(data[i]!));
    const s = m > 0 ? m / 127 : 1;
    ws[o] = s;
    for (let i = o * per; i < (o + 1) * per; i++) wq[i] = Math.max(-127, Math.min(127, Math.round(data[i]! / s)));
  }
  return { wq, ws };
}

/**
 * Inserts QuantizeLinear/DequantizeLinear around the selected convolutions (uint8 activations from
 * calibrated ranges, int8 per-output-channel weights, int32 bias), the QDQ form onnxruntime fuses
 * into integer QLinearConv kernels. The model must be at opset ≥ 13.
 */
export function quantizeConvs(model: OnnxModel, ranges: ReadonlyMap<string, TensorRange>, select: (conv: OnnxNode) => boolean): number {
  if (model.opset < 13) throw new Error('quantizeConvs needs opset 13');
  const dq = new Map<string, string>();
  let count = 0;
  const added: OnnxNode[] = [];
  const scalarF = (name: string, v: number) => {
    added.push(rawConstantNode(name, [], ElemType.FLOAT, f32Raw([v])));
    return name;
  };
  const quantDequant = (tensor: string, r: TensorRange): string => {
    const known = dq.get(tensor);
    if (known) return known;
    const { scale, zero } = activationParams(r);
    const s = scalarF(`${tensor}__qs`, scale);
    const z = `${tensor}__qz`;
    added.push(rawConstantNode(z, [], ElemType.UINT8, Uint8Array.of(zero)));
    const q = `${tensor}__q`;
    const d = `${tensor}__dq`;
    added.push(
      { opType: 'QuantizeLinear', inputs: [tensor, s, z], outputs: [q], name: q, domain: '', attrs: new Map() },
      { opType: 'DequantizeLinear', inputs: [q, s, z], outputs: [d], name: d, domain: '', attrs: new Map() },
    );
    dq.set(tensor, d);
    return d;
  };
  const convs = model.nodes.filter((n) => n.opType === 'Conv' && select(n));
  for (const conv of convs) {
    const [x, wName, bName] = conv.inputs as [string, string, string | undefined];
    const y = conv.outputs[0]!;
    const rx = ranges.get(x);
    const ry = ranges.get(y);
    const w = model.constants.get(wName);
    if (!rx || !ry || !w || w.dims.length !== 4) continue;
    const [outC] = w.dims as [number];
    const { wq, ws } = quantizeWeights(w.data, outC);
    const xs = activationParams(rx).scale;
    const base = `${y}__w`;
    added.push(
      rawConstantNode(`${base}q`, w.dims, ElemType.INT8, new Uint8Array(wq.buffer)),
      rawConstantNode(`${base}s`, [outC], ElemType.FLOAT, f32Raw(ws)),
      rawConstantNode(`${base}z`, [outC], ElemType.INT8, new Uint8Array(outC)),
      { opType: 'DequantizeLinear', inputs: [`${base}q`, `${base}s`, `${base}z`], outputs: [`${base}dq`], name: `${base}dq`, domain: '', attrs: new Map([['axis', intAttr('axis', 0)]]) },
    );
    const inputs = [quantDequant(x, rx), `${base}dq`];
    const b = bName ? model.constants.get(bName) : undefined;
    if (b) {
      const bq = new Int32Array(outC);
      const bs = new Float32Array(outC);
      for (let o = 0; o < outC; o++) {
        bs[o] = xs * ws[o]!;
        bq[o] = Math.round(b.data[o]! / bs[o]!);
      }
      added.push(
        rawConstantNode(`${base}bq`, [outC], ElemType.INT32, new Uint8Array(bq.buffer)),
        rawConstantNode(`${base}bs`, [outC], ElemType.FLOAT, f32Raw(bs)),
        rawConstantNode(`${base}bz`, [outC], ElemType.INT32, new Uint8Array(outC * 4)),
        { opType: 'DequantizeLinear', inputs: [`${base}bq`, `${base}bs`, `${base}bz`], outputs: [`${base}bdq`], name: `${base}bdq`, domain: '', attrs: new Map([['axis', intAttr('axis', 0)]]) },
      );
      inputs.push(`${base}bdq`);
    }
    conv.inputs = inputs;
    // The conv writes a new name; its quantized-then-dequantized value takes the old one's place.
    const raw = `${y}__conv`;
    conv.outputs = [raw];
    const { scale, zero } = activationParams(ry);
    const s = scalarF(`${y}__qs`, scale);
    added.push(rawConstantNode(`${y}__qz`, [], ElemType.UINT8, Uint8Array.of(zero)));
    const at = model.nodes.indexOf(conv);
    model.nodes.splice(
      at + 1,
      0,
      { opType: 'QuantizeLinear', inputs: [raw, s, `${y}__qz`], outputs: [`${y}__oq`], name: `${y}__oq`, domain: '', attrs: new Map() },
      { opType: 'DequantizeLinear', inputs: [`${y}__oq`, s, `${y}__qz`], outputs: [y], name: `${y}__odq`, domain: '', attrs: new Map() },
    );
    // A later convolution reading y reads it already quantized (conv → conv without activation).
    dq.set(y, y);
    count++;
  }
  model.nodes.push(...added);
  // Float weights the integer convolutions replaced.
  const used = new Set(model.nodes.flatMap((n) => n.inputs));
  model.nodes = model.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => used.has(o)));
  sortTopologically(model);
  return count;
}
