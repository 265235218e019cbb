import type { Int8Weights } from './cpu.flags.ts';
import { pruneOutputClasses } from './classes.prune.ts';
import { addClassifierHead, swapClassifierHead, type LatinHead } from './latin.head.ts';
import { modelDigest } from './prepared-model.cache.ts';
import { optimizePaddleGraph } from './graph.optimize.ts';
import { parseOnnxModel, readIntAttr, type OnnxModel, type OnnxNode } from './onnx.model.ts';
import { quantizeConvs, quantizeRegion, upgradeToOpset13, type TensorRange } from './quantize.ts';

/** The rewritten float model at opset 13: the graph calibration and quantization both work on. */
export function prepareForQuantization(bytes: Uint8Array): OnnxModel {
  const model = parseOnnxModel(bytes);
  optimizePaddleGraph(model);
  upgradeToOpset13(model);
  return model;
}

/** Tensors whose ranges quantization needs: every convolution's input and output. */
export function calibrationTensors(model: OnnxModel): string[] {
  return [...new Set(model.nodes.filter((n) => n.opType === 'Conv').flatMap((n) => [n.inputs[0]!, n.outputs[0]!]))];
}

/** Multiply-adds per output pixel from which a convolution is worth running in int8. */
const INT8_MIN_MACS = 8192;

export interface ModelTransforms {
  /** Exact PaddlePaddle-export rewrites (graph.optimize.ts). */
  rewrite: boolean;
  /** Calibrated activation ranges: run the heavy convolutions in int8. */
  int8Ranges?: ReadonlyMap<string, TensorRange> | undefined;
  /** Keep only these output classes (classes.prune.ts). */
  keepClasses?: ArrayLike<number> | undefined;
  /**
   * With int8: 'integer' runs everything from the first heavy convolution on in uint8
   * (quantizeRegion); 'qdq' only the heavy dense convolutions (quantizeConvs). @defaultValue 'integer'
   */
  int8Graph?: Int8Graph | undefined;
  /** With int8: how wide the weights are (cpu.flags.ts). @defaultValue 's8' */
  int8Weights?: Int8Weights | undefined;
  /**
   * Replace the classifier by this trained head (latin.head.ts) when the model is the one it was
   * trained on; takes the place of `keepClasses` then. Other models are pruned as asked.
   */
  latinHead?: LatinHead | undefined;
  /** With `latinHead`: add it as a second output beside the (pruned) classifier instead of swapping. */
  latinGate?: boolean | undefined;
}

export type Int8Graph = 'integer' | 'qdq';

/**
 * Where the integer region may begin: from a dense convolution of this many multiply-adds per
 * output pixel on (the recognizer's 32→64 pointwise layer at ¼ height), not only at the first heavy
 * one: the early 64-channel layers it then takes in were ~12% of the recognizer's time in float.
 */
const INT8_REGION_MIN_MACS = 2048;

/** Multiply-adds per output pixel of a dense convolution; 0 for depthwise/grouped ones. */
function denseConvMacs(model: OnnxModel, n: OnnxNode): number {
  const w = model.constants.get(n.inputs[1] ?? '');
  if (!w || w.dims.length !== 4 || (readIntAttr(n, 'group') ?? 1) !== 1) return 0;
  return w.dims[0]! * w.dims[1]! * w.dims[2]! * w.dims[3]!;
}

/**
 * Applies the requested transforms to a PaddlePaddle PP-OCR model. For int8, the heavy dense
 * convolutions (≥ 8192 multiply-adds per output pixel: the wide pointwise layers and the detector
 * neck's 3×3 layers) go to QDQ form, which onnxruntime runs with integer kernels; depthwise and
 * small convolutions stay float: measured, quantizing them too was slower (more Q/DQ passes
 * around the float activations) and less accurate.
 */
export function transformModel(bytes: Uint8Array, t: ModelTransforms): { bytes: Uint8Array; prunedClasses: boolean; latinHead: boolean; latinGate: boolean } {
  const model = parseOnnxModel(bytes);
  if (t.rewrite || t.int8Ranges) optimizePaddleGraph(model);
  // The gate's branch is added before pruning: both read the same feature tensor, and pruning
  // only narrows the first output's projection.
  const latinGate = t.latinHead && t.latinGate ? addClassifierHead(model, modelDigest(bytes), t.latinHead) : false;
  const latinHead = t.latinHead && !t.latinGate ? swapClassifierHead(model, modelDigest(bytes), t.latinHead) : false;
  const prunedClasses = !latinHead && t.keepClasses ? pruneOutputClasses(model, t.keepClasses) : false;
  if (t.int8Ranges) {
    upgradeToOpset13(model);
    if ((t.int8Graph ?? 'integer') === 'integer') quantizeRegion(model, t.int8Ranges, (n) => denseConvMacs(model, n) >= INT8_REGION_MIN_MACS, t.int8Weights);
    else quantizeConvs(model, t.int8Ranges, (n) => denseConvMacs(model, n) >= INT8_MIN_MACS, t.int8Weights);
  }
  const used = new Set(model.nodes.flatMap((n) => n.inputs));
  model.nodes = model.nodes.filter((n) => n.opType !== 'Constant' || n.outputs.some((o) => used.has(o)));
  return { bytes: model.encode(), prunedClasses, latinHead, latinGate };
}
