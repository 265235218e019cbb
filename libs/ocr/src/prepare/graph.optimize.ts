import { constantNode, floatAttr, readFloatAttr, readIntAttr, readIntsAttr, type FloatTensor, type OnnxModel, type OnnxNode } from './onnx.model.ts';

/**
 * Exact algebraic rewrites of PP-OCR's PaddlePaddle exports, which onnxruntime does not fuse:
 *
 * - `Conv → BatchNormalization` (onnxruntime folds it too, but only after our int8 rewrites have
 *   split the pair with quantization ops): folded into the conv's weights and bias.
 * - `Conv → Mul(a) → Add(b)` with scalar a, b (LCNetV3's learnable affine block after a conv):
 *   folded into the conv's weights and bias.
 * - `x * Clip(x + 3, 0, 6) / 6` (hard-swish spelled in four ops): `x * HardSigmoid(x)`.
 * - `Mul(c) → Add(d)` with scalar c, d feeding only unpadded 1×1 convolutions: folded into them.
 * - `ConvTranspose → Add(per-channel bias) → BatchNormalization` (the DB head's upsampling; either
 *   may be missing): folded into the transposed convolution's weights and bias.
 * - `x + x · s` with a per-channel s (the detector neck's residual squeeze-excite): `x · (1 + s)`,
 *   one pass over the feature map instead of two.
 *
 * Each rewrite changes no output value beyond float rounding; elementwise passes over whole
 * feature maps were about a third of the recognizer's time.
 * Returns how many of each rewrite were applied.
 */
export function optimizePaddleGraph(model: OnnxModel): Record<string, number> {
  const stats = { convBn: 0, convAffine: 0, hardSwish: 0, affineIntoConv: 0, convTransposeBn: 0, residualScale: 0 };
  // One sweep per rewrite kind, in this order: later patterns only appear once earlier ones ran.
  const passes: Array<[keyof typeof stats, string, (m: OnnxModel, g: GraphIndex, n: OnnxNode) => boolean]> = [
    ['convBn', 'Conv', foldBnAfterConv],
    ['convAffine', 'Conv', foldAffineAfterConv],
    ['hardSwish', 'Add', rewriteHardSwish],
    ['affineIntoConv', 'Mul', foldAffineIntoConsumers],
    ['convTransposeBn', 'ConvTranspose', foldConvTransposeBn],
    ['residualScale', 'Add', residualScale],
  ];
  for (const [stat, op, rewrite] of passes) {
    let g = indexGraph(model);
    let live = new Set(model.nodes);
    for (const n of model.nodes.slice()) {
      if (n.opType !== op || !live.has(n)) continue;
      if (rewrite(model, g, n)) {
        stats[stat]++;
        g = indexGraph(model);
        live = new Set(model.nodes);
      }
    }
  }
  // Constants whose only consumers were folded away.
  const used = new Set(model.nodes.flatMap((n) => n.inputs));
  model.nodes = model.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => used.has(o)));
  return stats;
}

interface GraphIndex {
  consumers: Map<string, OnnxNode[]>;
  producer: Map<string, OnnxNode>;
  graphOutputs: Set<string>;
}

function indexGraph(model: OnnxModel): GraphIndex {
  const consumers = new Map<string, OnnxNode[]>();
  const producer = new Map<string, OnnxNode>();
  for (const n of model.nodes) {
    for (const i of n.inputs) {
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
    for (const o of n.outputs) producer.set(o, n);
  }
  // Tensors nobody consumes are graph outputs (or dead): never rewrite them away.
  const graphOutputs = new Set<string>();
  for (const [name] of producer) if (!consumers.has(name)) graphOutputs.add(name);
  return { consumers, producer, graphOutputs };
}

function scalar(model: OnnxModel, name: string | undefined): number | undefined {
  const t = name === undefined ? undefined : model.constants.get(name);
  return t && t.data.length === 1 ? t.data[0] : undefined;
}

/** The single consumer of `tensor`, when it has exactly one and is not a graph output. */
function only(g: GraphIndex, tensor: string): OnnxNode | undefined {
  const c = g.consumers.get(tensor);
  return c && c.length === 1 && !g.graphOutputs.has(tensor) ? c[0] : undefined;
}

/** The scalar operand of a binary node whose other operand is `tensor`. */
function otherScalar(model: OnnxModel, n: OnnxNode, tensor: string): number | undefined {
  if (n.inputs.length !== 2) return undefined;
  const other = n.inputs[0] === tensor ? n.inputs[1] : n.inputs[1] === tensor ? n.inputs[0] : undefined;
  return scalar(model, other);
}

function remove(model: OnnxModel, ...dead: OnnxNode[]): void {
  model.nodes = model.nodes.filter((n) => !dead.includes(n));
}

let counter = 0;
function newConstant(model: OnnxModel, base: string, t: FloatTensor): string {
  const name = `${base}__folded${counter++}`;
  model.constants.set(name, t);
  model.nodes.unshift(constantNode(name, t));
  return name;
}

/** `v · a + b` elementwise (a loop: `Float32Array.from` with a map function costs ~200 ns an element). */
function scaled(v: Float32Array, a: number, b: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * a + b;
  return out;
}

function convWeights(model: OnnxModel, conv: OnnxNode): { w: FloatTensor; b: Float32Array } | undefined {
  const w = model.constants.get(conv.inputs[1] ?? '');
  if (!w || w.dims.length !== 4) return undefined;
  const out = w.dims[0]!;
  const bName = conv.inputs[2];
  const b = bName ? model.constants.get(bName) : undefined;
  if (bName && (!b || b.data.length !== out)) return undefined;
  return { w, b: b ? b.data : new Float32Array(out) };
}

function foldAffineAfterConv(model: OnnxModel, g: GraphIndex, conv: OnnxNode): boolean {
  const y = conv.outputs[0]!;
  const mul = only(g, y);
  if (!mul || mul.opType !== 'Mul') return false;
  const a = otherScalar(model, mul, y);
  const add = only(g, mul.outputs[0]!);
  if (a === undefined || !add || add.opType !== 'Add') return false;
  const b = otherScalar(model, add, mul.outputs[0]!);
  const cw = convWeights(model, conv);
  if (b === undefined || !cw) return false;
  const w = scaled(cw.w.data, a, 0);
  const bias = scaled(cw.b, a, b);
  conv.inputs = [conv.inputs[0]!, newConstant(model, conv.inputs[1]!, { dims: cw.w.dims, data: w }), newConstant(model, `${conv.inputs[1]}_b`, { dims: [bias.length], data: bias })];
  conv.outputs = [add.outputs[0]!];
  remove(model, mul, add);
  return true;
}

function rewriteHardSwish(model: OnnxModel, g: GraphIndex, add: OnnxNode): boolean {
  const x = add.inputs.find((i) => scalar(model, i) === undefined);
  if (x === undefined || otherScalar(model, add, x) !== 3) return false;
  const clip = only(g, add.outputs[0]!);
  if (!clip || clip.opType !== 'Clip') return false;
  // Opset < 11 keeps min/max as attributes; later opsets as inputs.
  const lo = clip.inputs.length > 1 ? scalar(model, clip.inputs[1]) : readFloatAttr(clip, 'min');
  const hi = clip.inputs.length > 2 ? scalar(model, clip.inputs[2]) : readFloatAttr(clip, 'max');
  if (lo !== 0 || hi !== 6) return false;
  const mul = only(g, clip.outputs[0]!);
  if (!mul || mul.opType !== 'Mul' || !mul.inputs.includes(x)) return false;
  const div = only(g, mul.outputs[0]!);
  if (!div || div.opType !== 'Div' || div.inputs[0] !== mul.outputs[0] || scalar(model, div.inputs[1]) !== 6) return false;
  const hs = `${div.outputs[0]}__hsig`;
  const hsig: OnnxNode = {
    opType: 'HardSigmoid',
    inputs: [x],
    outputs: [hs],
    name: hs,
    domain: '',
    attrs: new Map([
      ['alpha', floatAttr('alpha', 1 / 6)],
      ['beta', floatAttr('beta', 0.5)],
    ]),
  };
  const prod: OnnxNode = { opType: 'Mul', inputs: [x, hs], outputs: [div.outputs[0]!], name: `${hs}_mul`, domain: '', attrs: new Map() };
  const at = model.nodes.indexOf(add);
  remove(model, add, clip, mul, div);
  model.nodes.splice(at, 0, hsig, prod);
  return true;
}

function isPointwiseConv(model: OnnxModel, n: OnnxNode): boolean {
  if (n.opType !== 'Conv') return false;
  const w = model.constants.get(n.inputs[1] ?? '');
  const pads = readIntsAttr(n, 'pads') ?? [0, 0, 0, 0];
  const group = readIntAttr(n, 'group') ?? 1;
  return !!w && w.dims[2] === 1 && w.dims[3] === 1 && pads.every((p) => p === 0) && group === 1;
}

function foldAffineIntoConsumers(model: OnnxModel, g: GraphIndex, mul: OnnxNode): boolean {
  const x = mul.inputs.find((i) => scalar(model, i) === undefined);
  if (x === undefined) return false;
  const c = otherScalar(model, mul, x);
  const add = only(g, mul.outputs[0]!);
  if (c === undefined || !add || add.opType !== 'Add') return false;
  const d = otherScalar(model, add, mul.outputs[0]!);
  const y = add.outputs[0]!;
  const convs = g.consumers.get(y) ?? [];
  if (d === undefined || convs.length === 0 || g.graphOutputs.has(y)) return false;
  if (!convs.every((n) => isPointwiseConv(model, n) && n.inputs[0] === y && convWeights(model, n))) return false;
  for (const conv of convs) {
    const { w, b } = convWeights(model, conv)!;
    const [outC, inC] = w.dims as [number, number];
    const nw = scaled(w.data, c, 0);
    const nb = b.slice();
    for (let o = 0; o < outC; o++) {
      let s = 0;
      for (let i = 0; i < inC; i++) s += w.data[o * inC + i]!;
      nb[o]! += d * s;
    }
    conv.inputs = [x, newConstant(model, conv.inputs[1]!, { dims: w.dims, data: nw }), newConstant(model, `${conv.inputs[1]}_b`, { dims: [outC], data: nb })];
  }
  remove(model, mul, add);
  return true;
}

/** Per-channel values of a constant shaped [C] or [1, C, 1, 1]. */
function perChannel(model: OnnxModel, name: string | undefined, channels: number): Float32Array | undefined {
  const t = name === undefined ? undefined : model.constants.get(name);
  if (!t || t.data.length !== channels) return undefined;
  const ok = t.dims.length === 1 || (t.dims.length === 4 && t.dims[0] === 1 && t.dims[1] === channels);
  return ok ? t.data : undefined;
}

function foldConvTransposeBn(model: OnnxModel, g: GraphIndex, ct: OnnxNode): boolean {
  const w = model.constants.get(ct.inputs[1] ?? '');
  if (!w || w.dims.length !== 4 || (readIntAttr(ct, 'group') ?? 1) !== 1) return false;
  const [inC, outC, kh, kw] = w.dims as [number, number, number, number];
  let bias = ct.inputs[2] ? perChannel(model, ct.inputs[2], outC) : new Float32Array(outC);
  if (!bias) return false;
  let y = ct.outputs[0]!;
  const dead: OnnxNode[] = [];
  const add = only(g, y);
  if (add && add.opType === 'Add' && add.inputs.length === 2) {
    const b = perChannel(model, add.inputs.find((i) => i !== y), outC);
    if (b) {
      bias = Float32Array.from(bias);
      for (let o = 0; o < outC; o++) bias[o]! += b[o]!;
      y = add.outputs[0]!;
      dead.push(add);
    }
  }
  // Then the batch normalization, if one follows (else scale 1, shift 0).
  const bn = only(g, y);
  const [gamma, beta, mean, variance] = bn?.opType === 'BatchNormalization' && bn.outputs.length === 1 ? bn.inputs.slice(1).map((i) => perChannel(model, i, outC)) : [];
  const withBn = !!(gamma && beta && mean && variance);
  if (!withBn && dead.length === 0) return false;
  const eps = (withBn && readFloatAttr(bn!, 'epsilon')) || 1e-5;
  const k = new Float32Array(outC).fill(1);
  if (withBn) for (let o = 0; o < outC; o++) k[o] = gamma[o]! / Math.sqrt(variance[o]! + eps);
  const nw = new Float32Array(w.data.length);
  for (let i = 0; i < inC; i++)
    for (let o = 0; o < outC; o++)
      for (let p = 0; p < kh * kw; p++) {
        const at = (i * outC + o) * kh * kw + p;
        nw[at] = w.data[at]! * k[o]!;
      }
  const nb = new Float32Array(outC);
  for (let o = 0; o < outC; o++) nb[o] = withBn ? (bias[o]! - mean![o]!) * k[o]! + beta![o]! : bias[o]!;
  ct.inputs = [ct.inputs[0]!, newConstant(model, ct.inputs[1]!, { dims: w.dims, data: nw }), newConstant(model, `${ct.inputs[1]}_b`, { dims: [outC], data: nb })];
  if (withBn) dead.push(bn!);
  ct.outputs = [dead[dead.length - 1]!.outputs[0]!];
  remove(model, ...dead);
  return true;
}

/** `Add(x, Mul(x, s))` where s is produced by a node (a per-channel gate) → `Mul(x, s + 1)`. */
function residualScale(model: OnnxModel, g: GraphIndex, add: OnnxNode): boolean {
  if (add.inputs.length !== 2) return false;
  for (const [x, m] of [add.inputs, [...add.inputs].reverse()] as Array<[string, string]>) {
    const mul = g.producer.get(m);
    if (!mul || mul.opType !== 'Mul' || only(g, m) !== add || !mul.inputs.includes(x)) continue;
    const gate = mul.inputs[0] === x ? mul.inputs[1]! : mul.inputs[0]!;
    const gateNode = g.producer.get(gate);
    // Only a gate of one value per channel (global pooling upstream) keeps this cheap and exact.
    if (!gateNode || gateNode.opType !== 'HardSigmoid' || only(g, gate) !== mul) continue;
    const one = newConstant(model, `${gate}_one`, { dims: [], data: Float32Array.of(1) });
    const shifted = `${gate}__plus1`;
    const plus: OnnxNode = { opType: 'Add', inputs: [gate, one], outputs: [shifted], name: shifted, domain: '', attrs: new Map() };
    mul.inputs = [x, shifted];
    mul.outputs = [add.outputs[0]!];
    remove(model, add);
    model.nodes.splice(model.nodes.indexOf(mul), 0, plus);
    return true;
  }
  return false;
}

function foldBnAfterConv(model: OnnxModel, g: GraphIndex, conv: OnnxNode): boolean {
  const bn = only(g, conv.outputs[0]!);
  const cw = convWeights(model, conv);
  if (!bn || bn.opType !== 'BatchNormalization' || bn.outputs.length !== 1 || !cw) return false;
  const outC = cw.w.dims[0]!;
  const [gamma, beta, mean, variance] = bn.inputs.slice(1).map((i) => perChannel(model, i, outC));
  if (!gamma || !beta || !mean || !variance) return false;
  const eps = readFloatAttr(bn, 'epsilon') ?? 1e-5;
  const per = cw.w.data.length / outC;
  const w = new Float32Array(cw.w.data.length);
  const bias = new Float32Array(outC);
  for (let o = 0; o < outC; o++) {
    const k = gamma[o]! / Math.sqrt(variance[o]! + eps);
    for (let i = o * per; i < (o + 1) * per; i++) w[i] = cw.w.data[i]! * k;
    bias[o] = (cw.b[o]! - mean[o]!) * k + beta[o]!;
  }
  conv.inputs = [conv.inputs[0]!, newConstant(model, conv.inputs[1]!, { dims: cw.w.dims, data: w }), newConstant(model, `${conv.inputs[1]}_b`, { dims: [outC], data: bias })];
  conv.outputs = [bn.outputs[0]!];
  remove(model, bn);
  return true;
}
