import { ElemType, intAttr, rawConstantNode, readFloatAttr, readIntsAttr, sortTopologically, type OnnxModel, type OnnxNode } from './onnx.model.ts';
import type { Int8Weights } from './cpu.flags.ts';
import type { WireField } from './protobuf.wire.ts';

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
    for (let i = o * per; i < (o + 1) * per; i++) {
      const a = data[i]! < 0 ? -data[i]! : data[i]!;
      if (a > m) m = a;
    }
    const s = m > 0 ? m / 127 : 1;
    ws[o] = s;
    // |w| / s ≤ 127 by the choice of s, so rounding needs no clamp (Int8Array stores the integer).
    const inv = 1 / s;
    for (let i = o * per; i < (o + 1) * per; i++) wq[i] = Math.round(data[i]! * inv);
  }
  return { wq, ws };
}

/**
 * The stored weights and their per-channel zero points: int8 as computed ('s8'), or the same
 * integers offset by 128 into uint8 with zero point 128 ('u8': cpu.flags.ts says why some CPUs
 * need it; onnxruntime requires one zero point for every channel, which 128 is).
 */
function storedWeights(wq: Int8Array, outC: number, kind: Int8Weights): { type: number; data: Uint8Array; zero: Uint8Array } {
  if (kind === 's8') return { type: ElemType.INT8, data: new Uint8Array(wq.buffer), zero: new Uint8Array(outC) };
  const data = new Uint8Array(wq.length);
  for (let i = 0; i < wq.length; i++) data[i] = wq[i]! + 128;
  return { type: ElemType.UINT8, data, zero: new Uint8Array(outC).fill(128) };
}

/**
 * Inserts QuantizeLinear/DequantizeLinear around the selected convolutions (uint8 activations from
 * calibrated ranges, int8 per-output-channel weights, int32 bias), the QDQ form onnxruntime fuses
 * into integer QLinearConv kernels. The model must be at opset ≥ 13.
 */
export function quantizeConvs(
  model: OnnxModel,
  ranges: ReadonlyMap<string, TensorRange>,
  select: (conv: OnnxNode) => boolean,
  weights: Int8Weights = 's8',
): number {
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
    const stored = storedWeights(wq, outC, weights);
    const xs = activationParams(rx).scale;
    const base = `${y}__w`;
    added.push(
      rawConstantNode(`${base}q`, w.dims, stored.type, stored.data),
      rawConstantNode(`${base}s`, [outC], ElemType.FLOAT, f32Raw(ws)),
      rawConstantNode(`${base}z`, [outC], stored.type, stored.zero),
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

/** A tensor held as uint8: real value = scale × (q − zero). */
interface Quantized {
  name: string;
  scale: number;
  zero: number;
}

const CONV_ATTRS = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
/** hsig(x) = clip((x + 3) / 6, 0, 1) lands on uint8 with this scale, zero 127, after adding half a step. */
const HSIG_SCALE = 6 / 255;

const hardSwish = (x: number): number => (x * Math.min(Math.max(x + 3, 0), 6)) / 6;

export interface RegionStats {
  /** QLinearConv nodes. */
  convs: number;
  /** Hard-swish activations computed on uint8 (two integer passes each). */
  hardSwish: number;
  /** Scalar affines after hard-swish folded into quantization parameters (no pass at all). */
  foldedAffine: number;
  /** Scalar affines run as one integer requantizing add. */
  affine: number;
  /** Dequantized copies for ops that stay in float. */
  dequantized: number;
}

/**
 * Integer region: from the first convolution `start` accepts on, every convolution with calibrated
 * ranges runs as QLinearConv on uint8 activations (int8 per-channel weights, int32 bias), each
 * hard-swish on its uint8 output runs as two integer passes (onnxruntime's com.microsoft QLinearAdd
 * gives 255 × hsig(x) by requantizing x + ½ step with scale 6/255, zero 127; QLinearMul gives
 * x × hsig(x)), and a scalar affine `a·h + b` after it is folded into the multiplication's output
 * parameters when b is a whole number of quantization steps (else one integer add). Other ops read
 * a dequantized copy. Why: in QDQ form (quantizeConvs) each convolution is surrounded by float
 * passes — dequantize, hard-sigmoid, multiply, affine, layout reorders and transposes — which took
 * about half of the recognizer's time; here the tensors stay uint8 in one layout (NHWC).
 * The model must be at opset ≥ 13 (com.microsoft ops are version 1).
 */
export function quantizeRegion(
  model: OnnxModel,
  ranges: ReadonlyMap<string, TensorRange>,
  start: (conv: OnnxNode) => boolean,
  weights: Int8Weights = 's8',
): RegionStats {
  if (model.opset < 13) throw new Error('quantizeRegion needs opset 13');
  sortTopologically(model);
  const stats: RegionStats = { convs: 0, hardSwish: 0, foldedAffine: 0, affine: 0, dequantized: 0 };
  const added: OnnxNode[] = [];
  const out: OnnxNode[] = [];
  const constants = new Map<string, string>();
  const scalarConstant = (type: number, v: number): string => {
    const key = `${type}:${v}`;
    let name = constants.get(key);
    if (!name) {
      name = `qr_c${uid++}`;
      const raw = type === ElemType.FLOAT ? new Uint8Array(Float32Array.of(v).buffer) : Uint8Array.of(v);
      added.push(rawConstantNode(name, [], type, raw));
      constants.set(key, name);
    }
    return name;
  };
  const f32 = (v: number) => scalarConstant(ElemType.FLOAT, v);
  const u8 = (v: number) => scalarConstant(ElemType.UINT8, v);
  const node = (opType: string, inputs: string[], output: string, domain = '', attrs = new Map<string, WireField[]>()): void => {
    out.push({ opType, inputs, outputs: [output], name: `${output}_node`, domain, attrs });
  };
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of model.nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const soleConsumer = (t: string): OnnxNode | undefined => {
    const c = consumers.get(t);
    return c && c.length === 1 && !model.outputs.includes(t) ? c[0] : undefined;
  };
  const scalarOf = (name: string | undefined): number | undefined => {
    const t = name === undefined ? undefined : model.constants.get(name);
    return t && t.data.length === 1 ? t.data[0] : undefined;
  };

  /** Tensors an integer op produced (their float name no longer exists unless dequantized). */
  const integer = new Map<string, Quantized>();
  /** Float tensors quantized on entry to the region. */
  const entered = new Map<string, Quantized>();
  const dequantized = new Set<string>();
  const asFloat = (t: string): string => {
    const q = integer.get(t);
    if (q && !dequantized.has(t)) {
      node('DequantizeLinear', [q.name, f32(q.scale), u8(q.zero)], t);
      dequantized.add(t);
      stats.dequantized++;
    }
    return t;
  };
  const asInteger = (t: string): Quantized | undefined => {
    const known = integer.get(t) ?? entered.get(t);
    if (known) return known;
    const r = ranges.get(t);
    if (!r) return undefined;
    const { scale, zero } = activationParams(r);
    const q = { name: `${t}__rq`, scale, zero };
    node('QuantizeLinear', [t, f32(scale), u8(zero)], q.name);
    entered.set(t, q);
    return q;
  };
  const paramsFor = (t: string, fallback: TensorRange, preferFallback = false): Quantized => {
    const { scale, zero } = activationParams((preferFallback ? undefined : ranges.get(t)) ?? fallback);
    return { name: `${t}__rq`, scale, zero };
  };
  const isHardSigmoid = (n: OnnxNode): boolean =>
    n.opType === 'HardSigmoid' && Math.abs((readFloatAttr(n, 'alpha') ?? 0.2) - 1 / 6) < 1e-6 && Math.abs((readFloatAttr(n, 'beta') ?? 0.5) - 0.5) < 1e-6;
  /** `t` is read only by `x · HardSigmoid(x)` (the hard-swish spelling of graph.optimize.ts). */
  const feedsHardSwishOnly = (t: string): boolean => {
    const c = consumers.get(t) ?? [];
    const hsig = c.find(isHardSigmoid);
    const mul = hsig && soleConsumer(hsig.outputs[0]!);
    return c.length === 2 && !model.outputs.includes(t) && !!mul && mul.opType === 'Mul' && c.includes(mul);
  };

  let active = false;
  const done = new Set<OnnxNode>();
  for (const n of model.nodes) {
    if (done.has(n)) continue;
    if (!active && n.opType === 'Conv' && start(n)) active = true;
    if (!active) {
      out.push(n);
      continue;
    }
    if (n.opType === 'Conv' && convertConv(n)) continue;
    if (n.opType === 'HardSigmoid' && convertHardSwish(n)) continue;
    if (n.opType === 'Mul' && convertAffine(n)) continue;
    n.inputs = n.inputs.map(asFloat);
    out.push(n);
  }
  for (const o of model.outputs) asFloat(o);
  model.nodes = [...added, ...out];
  sortTopologically(model);
  return stats;

  function convertConv(conv: OnnxNode): boolean {
    const [x, wName, bName] = conv.inputs as [string, string, string | undefined];
    const y = conv.outputs[0]!;
    const w = model.constants.get(wName);
    const ry = ranges.get(y);
    const b = bName ? model.constants.get(bName) : undefined;
    if (!w || w.dims.length !== 4 || !ry || (bName && !b)) return false;
    const xq = asInteger(x);
    if (!xq) return false;
    const outC = w.dims[0]!;
    const { wq, ws } = quantizeWeights(w.data, outC);
    const stored = storedWeights(wq, outC, weights);
    const bq = new Int32Array(outC);
    if (b) for (let o = 0; o < outC; o++) bq[o] = Math.round(b.data[o]! / (xq.scale * ws[o]!));
    const base = `${y}__ql`;
    added.push(
      rawConstantNode(`${base}_w`, w.dims, stored.type, stored.data),
      rawConstantNode(`${base}_ws`, [outC], ElemType.FLOAT, f32Raw(ws)),
      rawConstantNode(`${base}_wz`, [outC], stored.type, stored.zero),
      rawConstantNode(`${base}_b`, [outC], ElemType.INT32, new Uint8Array(bq.buffer)),
    );
    // Hard-swish is 0 for every input ≤ −3: a convolution feeding only hard-swish needs no finer
    // steps below −3, so its uint8 range starts there (up to half the steps freed for the rest).
    const yq = feedsHardSwishOnly(y) ? paramsFor(y, { min: Math.max(ry.min, -3), max: ry.max }, true) : paramsFor(y, ry);
    const attrs = new Map([...conv.attrs].filter(([k]) => CONV_ATTRS.has(k)));
    const inputs = [xq.name, f32(xq.scale), u8(xq.zero), `${base}_w`, `${base}_ws`, `${base}_wz`, f32(yq.scale), u8(yq.zero), `${base}_b`];
    node('QLinearConv', inputs, yq.name, '', attrs);
    integer.set(y, yq);
    stats.convs++;
    return true;
  }

  /** `Mul(x, a) → Add(b)` with scalar a > 0 and b consuming `h` alone. */
  function affineAfter(h: string): { a: number; b: number; mul: OnnxNode; add: OnnxNode } | undefined {
    const mul = soleConsumer(h);
    if (!mul || mul.opType !== 'Mul' || mul.inputs.length !== 2) return undefined;
    const a = scalarOf(mul.inputs.find((i) => i !== h));
    const add = soleConsumer(mul.outputs[0]!);
    if (a === undefined || !(a > 0) || !add || add.opType !== 'Add' || add.inputs.length !== 2) return undefined;
    const b = scalarOf(add.inputs.find((i) => i !== mul.outputs[0]));
    return b === undefined ? undefined : { a, b, mul, add };
  }

  function convertHardSwish(hsig: OnnxNode): boolean {
    const x = hsig.inputs[0]!;
    const xq = integer.get(x);
    const mul = soleConsumer(hsig.outputs[0]!);
    if (!xq || !mul || mul.opType !== 'Mul' || !mul.inputs.includes(x) || mul.inputs.length !== 2 || !isHardSigmoid(hsig)) return false;
    const hs = `${x}__hsig_q`;
    node('QLinearAdd', [xq.name, f32(xq.scale), u8(xq.zero), u8(1), f32(HSIG_SCALE / 2), u8(0), f32(HSIG_SCALE), u8(127)], hs, 'com.microsoft');
    const h = mul.outputs[0]!;
    const affine = affineAfter(h);
    // The range of h: calibrated, else that of the affine after it mapped back, else all hard-swish can give.
    const lo = xq.scale * -xq.zero;
    const hi = xq.scale * (255 - xq.zero);
    const rv = affine && ranges.get(affine.add.outputs[0]!);
    const rh = rv && affine ? { min: (rv.min - affine.b) / affine.a, max: (rv.max - affine.b) / affine.a } : { min: lo > -1.5 ? hardSwish(lo) : -0.375, max: hardSwish(hi) };
    const hq = paramsFor(h, rh);
    let result = { tensor: h, q: hq, stored: hq };
    if (affine) {
      // v = a·h + b stored with scale s and zero z is h stored with scale s/a and zero z + b/s,
      // exact when b/s is a whole number: pick the nearest s at or above the calibrated one.
      const v = affine.add.outputs[0]!;
      const vq = paramsFor(v, { min: affine.a * (hq.scale * -hq.zero) + affine.b, max: affine.a * (hq.scale * (255 - hq.zero)) + affine.b });
      const k = Math.trunc(affine.b / vq.scale);
      const scale = k === 0 ? 0 : affine.b / k;
      if (k !== 0 && scale <= vq.scale * 1.5 && vq.zero + k >= 0 && vq.zero + k <= 255) {
        const stored = { name: vq.name, scale: scale / affine.a, zero: vq.zero + k };
        result = { tensor: v, q: { name: vq.name, scale, zero: vq.zero }, stored };
        done.add(affine.mul).add(affine.add);
        stats.foldedAffine++;
      }
    }
    node('QLinearMul', [xq.name, f32(xq.scale), u8(xq.zero), hs, f32(1 / 255), u8(0), f32(result.stored.scale), u8(result.stored.zero)], result.q.name, 'com.microsoft');
    integer.set(result.tensor, result.q);
    done.add(mul);
    stats.hardSwish++;
    return true;
  }

  function convertAffine(mul: OnnxNode): boolean {
    const x = mul.inputs.find((i) => integer.has(i));
    if (x === undefined) return false;
    const xq = integer.get(x)!;
    const affine = soleConsumer(x) === mul ? affineAfter(x) : undefined;
    if (!affine) return false;
    const v = affine.add.outputs[0]!;
    const { a, b } = affine;
    const vq = paramsFor(v, { min: a * (xq.scale * -xq.zero) + b, max: a * (xq.scale * (255 - xq.zero)) + b });
    // a·x + b as one requantizing add: x read with scale a·s, b a one-step constant of its own scale.
    const bInputs = b > 0 ? [u8(1), f32(b), u8(0)] : b < 0 ? [u8(0), f32(-b), u8(1)] : [u8(0), f32(1), u8(0)];
    node('QLinearAdd', [xq.name, f32(xq.scale * a), u8(xq.zero), ...bInputs, f32(vq.scale), u8(vq.zero)], vq.name, 'com.microsoft');
    integer.set(v, vq);
    done.add(affine.add);
    stats.affine++;
    return true;
  }
}
