import { constantNode, type OnnxModel } from './onnx.model.ts';

/**
 * Cuts the recognizer's classifier down to the classes decoding may choose (`keep`, ascending,
 * blank included): `Softmax(x · W + b)` at the graph output becomes the same over the kept columns
 * of W and b. Output class k is then original class keep[k]; probabilities are renormalized over
 * the kept classes. Saves the 6625-wide projection and softmax of the zh+en model when decoding
 * Latin script (~300 classes). Returns false when the graph does not end that way.
 */
export function pruneOutputClasses(model: OnnxModel, keep: ArrayLike<number>): boolean {
  const out = model.outputs[0];
  const softmax = model.nodes.find((n) => n.opType === 'Softmax' && n.outputs[0] === out);
  const add = softmax && model.nodes.find((n) => n.opType === 'Add' && n.outputs[0] === softmax.inputs[0]);
  const matmul = add && model.nodes.find((n) => n.opType === 'MatMul' && add.inputs.includes(n.outputs[0]!));
  if (!out || !softmax || !add || !matmul) return false;
  const biasName = add.inputs.find((i) => i !== matmul.outputs[0]);
  const w = model.constants.get(matmul.inputs[1] ?? '');
  const b = biasName ? model.constants.get(biasName) : undefined;
  if (!w || !b || w.dims.length !== 2 || b.data.length !== w.dims[1]) return false;
  const [rows, cols] = w.dims as [number, number];
  const k = keep.length;
  const nw = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) nw[r * k + j] = w.data[r * cols + keep[j]!]!;
  const nb = Float32Array.from({ length: k }, (_, j) => b.data[keep[j]!]!);
  const wName = `${matmul.inputs[1]}__kept`;
  const bName = `${biasName}__kept`;
  model.constants.set(wName, { dims: [rows, k], data: nw });
  model.constants.set(bName, { dims: [k], data: nb });
  model.nodes.unshift(constantFor(model, wName), constantFor(model, bName));
  matmul.inputs[1] = wName;
  add.inputs = add.inputs.map((i) => (i === biasName ? bName : i));
  model.reshapedOutputs.add(out);
  return true;
}

function constantFor(model: OnnxModel, name: string) {
  return constantNode(name, model.constants.get(name)!);
}
