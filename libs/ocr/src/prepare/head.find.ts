import type { OnnxModel, OnnxNode } from './onnx.model.ts';

/** The recognizer's classifier at the graph output: `Softmax(features · W + b)`. */
export interface ClassifierHead {
  softmax: OnnxNode;
  add: OnnxNode;
  matmul: OnnxNode;
  /** The per-timestep feature tensor the projection reads ([N, T, D]). */
  features: string;
  weight: string;
  bias: string;
  /** [D, classes]. */
  dims: [number, number];
}

/** Finds the classifier of a PP-OCR recognizer; undefined when the graph does not end that way. */
export function findClassifierHead(model: OnnxModel): ClassifierHead | undefined {
  const out = model.outputs[0];
  const softmax = model.nodes.find((n) => n.opType === 'Softmax' && n.outputs[0] === out);
  const add = softmax && model.nodes.find((n) => n.opType === 'Add' && n.outputs[0] === softmax.inputs[0]);
  const matmul = add && model.nodes.find((n) => n.opType === 'MatMul' && add.inputs.includes(n.outputs[0]!));
  if (!softmax || !add || !matmul) return undefined;
  const bias = add.inputs.find((i) => i !== matmul.outputs[0]);
  const weight = matmul.inputs[1];
  const w = model.constants.get(weight ?? '');
  const b = model.constants.get(bias ?? '');
  if (!weight || !bias || !w || !b || w.dims.length !== 2 || b.data.length !== w.dims[1]) return undefined;
  return { softmax, add, matmul, features: matmul.inputs[0]!, weight, bias, dims: [w.dims[0]!, w.dims[1]!] };
}
