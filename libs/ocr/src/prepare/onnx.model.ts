import { decodeMessage, encodeMessage, float32, int, msg, str, text, type WireField } from './protobuf.wire.ts';

/** ONNX field numbers used here (onnx.proto3). */
const MODEL_GRAPH = 7;
const MODEL_OPSET = 8;
const GRAPH_OUTPUT = 12;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP = 4;
const NODE_ATTR = 5;
const NODE_DOMAIN = 7;
const ATTR_NAME = 1;
const ATTR_F = 2;
const ATTR_I = 3;
const ATTR_T = 5;
const ATTR_INTS = 8;
const ATTR_TYPE = 20;
const TENSOR_DIMS = 1;
const TENSOR_TYPE = 2;
const TENSOR_FLOATS = 4;
const TENSOR_NAME = 8;
const TENSOR_RAW = 9;
const FLOAT = 1;

/** A graph node with its attributes decoded one level (name → fields of the AttributeProto). */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  domain: string;
  attrs: Map<string, WireField[]>;
}

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/** A model opened for graph surgery: nodes are editable, everything else round-trips untouched. */
export interface OnnxModel {
  nodes: OnnxNode[];
  /** Float constants by tensor name (Constant nodes and initializers). */
  constants: Map<string, FloatTensor>;
  /** Version of the default (ai.onnx) operator set; assignable. */
  opset: number;
  /** Names of the graph's outputs; extra names are added as float tensors of unknown shape. */
  outputs: string[];
  /** Declared outputs whose shape changed: written back as float tensors of unknown shape. */
  reshapedOutputs: Set<string>;
  encode(): Uint8Array;
}

/** ONNX TensorProto element types used here. */
export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

/** A Constant node with a tensor of any element type given as little-endian raw bytes. */
export function rawConstantNode(name: string, dims: readonly number[], elemType: number, raw: Uint8Array): OnnxNode {
  const tensor = encodeMessage([...dims.map((d) => int(TENSOR_DIMS, d)), int(TENSOR_TYPE, elemType), str(TENSOR_NAME, name), { no: TENSOR_RAW, wire: 2, value: raw }]);
  const attr: WireField[] = [str(ATTR_NAME, 'value'), { no: ATTR_T, wire: 2, value: tensor }, int(ATTR_TYPE, 4)];
  return { opType: 'Constant', inputs: [], outputs: [name], name: `${name}_const`, domain: '', attrs: new Map([['value', attr]]) };
}

export function intAttr(name: string, v: number): WireField[] {
  return [str(ATTR_NAME, name), int(ATTR_I, v), int(ATTR_TYPE, 2)];
}

function decodeNode(buf: Uint8Array): OnnxNode {
  const node: OnnxNode = { opType: '', inputs: [], outputs: [], name: '', domain: '', attrs: new Map() };
  for (const f of decodeMessage(buf)) {
    if (f.wire !== 2) continue;
    if (f.no === NODE_INPUT) node.inputs.push(text(f.value));
    else if (f.no === NODE_OUTPUT) node.outputs.push(text(f.value));
    else if (f.no === NODE_NAME) node.name = text(f.value);
    else if (f.no === NODE_OP) node.opType = text(f.value);
    else if (f.no === NODE_DOMAIN) node.domain = text(f.value);
    else if (f.no === NODE_ATTR) {
      const attr = decodeMessage(f.value);
      const name = attr.find((a) => a.no === ATTR_NAME);
      if (name && name.wire === 2) node.attrs.set(text(name.value), attr);
    }
  }
  return node;
}

function encodeNode(n: OnnxNode): Uint8Array {
  const fields: WireField[] = [
    ...n.inputs.map((i) => str(NODE_INPUT, i)),
    ...n.outputs.map((o) => str(NODE_OUTPUT, o)),
    ...(n.name ? [str(NODE_NAME, n.name)] : []),
    str(NODE_OP, n.opType),
    ...[...n.attrs.values()].map((a) => msg(NODE_ATTR, a)),
    ...(n.domain ? [str(NODE_DOMAIN, n.domain)] : []),
  ];
  return encodeMessage(fields);
}

/** Float tensor from a TensorProto, or undefined for other element types. */
export function decodeFloatTensor(buf: Uint8Array): (FloatTensor & { name: string }) | undefined {
  const dims: number[] = [];
  let type = 0;
  let name = '';
  let data: Float32Array | undefined;
  const floats: number[] = [];
  for (const f of decodeMessage(buf)) {
    if (f.no === TENSOR_DIMS) {
      if (f.wire === 0) dims.push(Number(f.value));
      else if (f.wire === 2) for (const d of decodeMessage(packedAsFields(f.value, TENSOR_DIMS))) dims.push(Number(d.value));
    } else if (f.no === TENSOR_TYPE && f.wire === 0) type = Number(f.value);
    else if (f.no === TENSOR_NAME && f.wire === 2) name = text(f.value);
    else if (f.no === TENSOR_RAW && f.wire === 2) {
      const copy = f.value.slice();
      data = new Float32Array(copy.buffer, 0, copy.length >> 2);
    } else if (f.no === TENSOR_FLOATS) {
      if (f.wire === 5) floats.push(new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true));
      else if (f.wire === 2) {
        const dv = new DataView(f.value.buffer, f.value.byteOffset, f.value.length);
        for (let i = 0; i + 4 <= f.value.length; i += 4) floats.push(dv.getFloat32(i, true));
      }
    }
  }
  if (type !== FLOAT) return undefined;
  return { name, dims, data: data ?? Float32Array.from(floats) };
}

/** Packed varints re-framed as separate fields so decodeMessage can read them. */
function packedAsFields(packed: Uint8Array, no: number): Uint8Array {
  const key = (no << 3) | 0;
  const out: number[] = [];
  let pos = 0;
  while (pos < packed.length) {
    out.push(key);
    do out.push(packed[pos]!);
    while (packed[pos++]! >= 0x80);
  }
  return Uint8Array.from(out);
}

export function encodeFloatTensor(name: string, t: FloatTensor): Uint8Array {
  const raw = new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
  return encodeMessage([...t.dims.map((d) => int(TENSOR_DIMS, d)), int(TENSOR_TYPE, FLOAT), str(TENSOR_NAME, name), { no: TENSOR_RAW, wire: 2, value: raw }]);
}

/** A Constant node producing `name`. */
export function constantNode(name: string, t: FloatTensor): OnnxNode {
  const attr: WireField[] = [str(ATTR_NAME, 'value'), { no: ATTR_T, wire: 2, value: encodeFloatTensor(name, t) }, int(ATTR_TYPE, 4)];
  return { opType: 'Constant', inputs: [], outputs: [name], name: `${name}_const`, domain: '', attrs: new Map([['value', attr]]) };
}

export function floatAttr(name: string, v: number): WireField[] {
  return [str(ATTR_NAME, name), float32(ATTR_F, v), int(ATTR_TYPE, 1)];
}

export function readFloatAttr(n: OnnxNode, name: string): number | undefined {
  const f = n.attrs.get(name)?.find((x) => x.no === ATTR_F);
  return f && f.wire === 5 ? new DataView(f.value.buffer, f.value.byteOffset, 4).getFloat32(0, true) : undefined;
}

export function readIntAttr(n: OnnxNode, name: string): number | undefined {
  const f = n.attrs.get(name)?.find((x) => x.no === ATTR_I);
  return f && f.wire === 0 ? Number(BigInt.asIntN(64, f.value)) : undefined;
}

export function readIntsAttr(n: OnnxNode, name: string): number[] | undefined {
  const fs = n.attrs.get(name)?.filter((x) => x.no === ATTR_INTS);
  if (!fs) return undefined;
  const out: number[] = [];
  for (const f of fs) {
    if (f.wire === 0) out.push(Number(BigInt.asIntN(64, f.value)));
    else if (f.wire === 2) for (const d of decodeMessage(packedAsFields(f.value, ATTR_INTS))) out.push(Number(BigInt.asIntN(64, d.value as bigint)));
  }
  return out;
}

function opsetDomain(buf: Uint8Array): string {
  const d = decodeMessage(buf).find((f) => f.no === 1);
  return d && d.wire === 2 ? text(d.value) : '';
}

function valueInfoName(buf: Uint8Array): string {
  const n = decodeMessage(buf).find((f) => f.no === 1);
  return n && n.wire === 2 ? text(n.value) : '';
}

/** Parses an ONNX model file for graph rewriting. */
export function parseOnnxModel(buf: Uint8Array): OnnxModel {
  const modelFields = decodeMessage(buf);
  const gi = modelFields.findIndex((f) => f.no === MODEL_GRAPH);
  const graphField = modelFields[gi];
  if (!graphField || graphField.wire !== 2) throw new Error('onnx: model has no graph');
  const graphFields = decodeMessage(graphField.value);
  const nodes = graphFields.filter((f) => f.no === GRAPH_NODE && f.wire === 2).map((f) => decodeNode(f.value as Uint8Array));
  const constants = new Map<string, FloatTensor>();
  for (const f of graphFields)
    if (f.no === GRAPH_INITIALIZER && f.wire === 2) {
      const t = decodeFloatTensor(f.value);
      if (t) constants.set(t.name, t);
    }
  for (const n of nodes) {
    if (n.opType !== 'Constant') continue;
    const v = n.attrs.get('value')?.find((a) => a.no === ATTR_T);
    if (!v || v.wire !== 2) continue;
    const t = decodeFloatTensor(v.value);
    if (t && n.outputs[0]) constants.set(n.outputs[0], { dims: t.dims, data: t.data });
  }
  const opsetIndex = modelFields.findIndex((f) => f.no === MODEL_OPSET && f.wire === 2 && opsetDomain(f.value) === '');
  const opsetField = modelFields[opsetIndex];
  const opsetVersion = opsetField && opsetField.wire === 2 ? Number(decodeMessage(opsetField.value).find((f) => f.no === 2)?.value ?? 1n) : 1;
  const declaredOutputs = graphFields.filter((f) => f.no === GRAPH_OUTPUT && f.wire === 2).map((f) => valueInfoName(f.value as Uint8Array));
  return {
    nodes,
    constants,
    opset: opsetVersion,
    outputs: declaredOutputs.slice(),
    reshapedOutputs: new Set<string>(),
    encode() {
      const untyped = (o: string) => msg(GRAPH_OUTPUT, [str(1, o), msg(2, [msg(1, [int(1, ElemType.FLOAT)])])]);
      const rest = graphFields
        .filter((f) => f.no !== GRAPH_NODE)
        .map((f) => (f.no === GRAPH_OUTPUT && f.wire === 2 && this.reshapedOutputs.has(valueInfoName(f.value)) ? untyped(valueInfoName(f.value)) : f));
      const extra = this.outputs.filter((o) => !declaredOutputs.includes(o)).map(untyped);
      const graph = encodeMessage([...this.nodes.map((n) => ({ no: GRAPH_NODE, wire: 2 as const, value: encodeNode(n) })), ...rest, ...extra]);
      const out = modelFields.slice();
      out[gi] = { no: MODEL_GRAPH, wire: 2, value: graph };
      if (opsetIndex >= 0 && this.opset !== opsetVersion) out[opsetIndex] = msg(MODEL_OPSET, [str(1, ''), int(2, this.opset)]);
      // Operator sets of domains that rewrites introduced (onnxruntime's com.microsoft contrib ops: version 1).
      const imported = new Set(modelFields.filter((f) => f.no === MODEL_OPSET && f.wire === 2).map((f) => opsetDomain(f.value as Uint8Array)));
      for (const domain of new Set(this.nodes.map((n) => n.domain))) if (!imported.has(domain)) out.push(msg(MODEL_OPSET, [str(1, domain), int(2, 1)]));
      return encodeMessage(out);
    },
  };
}

/** Reorders nodes so every node follows the producers of its inputs (stable otherwise). */
export function sortTopologically(model: OnnxModel): void {
  const producer = new Map<string, OnnxNode>();
  for (const n of model.nodes) for (const o of n.outputs) producer.set(o, n);
  const done = new Set<OnnxNode>();
  const visiting = new Set<OnnxNode>();
  const out: OnnxNode[] = [];
  const visit = (n: OnnxNode) => {
    if (done.has(n)) return;
    if (visiting.has(n)) throw new Error(`onnx: cycle at ${n.name}`);
    visiting.add(n);
    for (const i of n.inputs) {
      const p = producer.get(i);
      if (p) visit(p);
    }
    visiting.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of model.nodes) visit(n);
  model.nodes = out;
}
