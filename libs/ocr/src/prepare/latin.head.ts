import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { findClassifierHead, type ClassifierHead } from './head.find.ts';
import { constantNode, intAttr, type FloatTensor, type OnnxModel, type OnnxNode } from './onnx.model.ts';

const headSchema = z.object({
  model: z.string(),
  /** SHA-256 of the recognizer file whose features the head was trained on. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The tensor the head reads (the original classifier's MatMul input). */
  features: z.string(),
  dim: z.number().int().positive(),
  /**
   * An earlier tensor of the recognizer ([N, C, 1, T], the backbone's pooled output) whose `extraDim`
   * channels per timestep the hidden branch reads after the classifier's `dim` features.
   */
  extra: z.string().optional(),
  extraDim: z.number().int().positive().optional(),
  hidden: z.number().int().min(0),
  /** Output classes: index 0 the CTC blank (''), then one symbol each. */
  classes: z.array(z.string()).min(2),
  weightsSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A trained replacement classifier for one recognizer file (scripts/latin-head/). */
export interface LatinHead {
  modelSha256: string;
  features: string;
  dim: number;
  /** With `extraDim`: the tensor appended to the features for the hidden branch. */
  extra?: string | undefined;
  extraDim?: number | undefined;
  hidden: number;
  classes: string[];
  /** Digest of the weights, part of the prepared-model cache key. */
  digest: string;
  w: FloatTensor;
  b: FloatTensor;
  /** With `hidden` > 0: `relu(x·a + c)·bb` is added to the logits. */
  a?: FloatTensor;
  c?: FloatTensor;
  bb?: FloatTensor;
}

/**
 * How the Latin head is used: 'off' not at all, 'head' in place of the recognizer's classifier,
 * 'gated' beside it (both outputs; decoding takes the head's reading only where it is confident and
 * agrees with the original's, recognition/latin.gate.ts).
 */
export type LatinHeadMode = 'off' | 'head' | 'gated';

const HEAD_FILE = new URL('./heads/latin', import.meta.url);

let cached: LatinHead | null | undefined;

/** The shipped Latin head (heads/latin.json + latin.bin); undefined when the files are absent. */
export function latinHead(): LatinHead | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const base = fileURLToPath(HEAD_FILE);
  if (!existsSync(`${base}.json`) || !existsSync(`${base}.bin`)) return (cached = null) ?? undefined;
  const meta = headSchema.parse(JSON.parse(readFileSync(`${base}.json`, 'utf8')));
  const blob = readFileSync(`${base}.bin`);
  const digest = createHash('sha256').update(blob).digest('hex');
  if (digest !== meta.weightsSha256) throw new Error(`${base}.bin does not match its digest in ${base}.json`);
  const k = meta.classes.length;
  const { dim: d, hidden: h } = meta;
  if (Boolean(meta.extra) !== Boolean(meta.extraDim) || (meta.extra && !h)) throw new Error(`${base}.json: extra features need extraDim and a hidden layer`);
  const wide = d + (meta.extraDim ?? 0);
  const floats = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  const expected = d * k + k + (h ? wide * h + h + h * k : 0);
  if (floats.length !== expected) throw new Error(`${base}.bin holds ${floats.length} floats, expected ${expected}`);
  let at = 0;
  const take = (dims: number[]): FloatTensor => {
    const n = dims.reduce((x, y) => x * y, 1);
    const data = floats.slice(at, at + n);
    at += n;
    return { dims, data };
  };
  const head: LatinHead = { modelSha256: meta.modelSha256, features: meta.features, dim: d, extra: meta.extra, extraDim: meta.extraDim, hidden: h, classes: meta.classes, digest, w: take([d, k]), b: take([k]) };
  if (h) Object.assign(head, { a: take([wide, h]), c: take([h]), bb: take([h, k]) });
  return (cached = head);
}

const node = (opType: string, inputs: string[], output: string, attrs = new Map() as OnnxNode['attrs']): OnnxNode => ({ opType, inputs, outputs: [output], name: `${output}_node`, domain: '', attrs });

/** A tensor the hidden branch reads, with the nodes that make it. */
interface HiddenInput {
  input: string;
  nodes: OnnxNode[];
}

/**
 * The tensor the hidden branch reads, and the nodes that make it: the classifier's features alone,
 * or with `head.extra` ([N, C, 1, T]) brought to [N, T, C] by copies of the Squeeze and Transpose
 * that bring the neck's output to the features, concatenated after them ([N, T, D + C]). Undefined
 * when the graph lacks the extra tensor or that Squeeze → Transpose.
 */
function hiddenInput(model: OnnxModel, found: ClassifierHead, head: LatinHead, p: string): HiddenInput | undefined {
  if (!head.extra) return { input: found.features, nodes: [] };
  const transpose = model.nodes.find((n) => n.opType === 'Transpose' && n.outputs[0] === found.features);
  const squeeze = transpose && model.nodes.find((n) => n.opType === 'Squeeze' && n.outputs[0] === transpose.inputs[0]);
  if (!transpose || !squeeze || !model.nodes.some((n) => n.outputs.includes(head.extra!))) return undefined;
  return {
    input: `${p}.wide`,
    nodes: [
      node('Squeeze', [head.extra, ...squeeze.inputs.slice(1)], `${p}.extra_sq`, new Map(squeeze.attrs)),
      node('Transpose', [`${p}.extra_sq`], `${p}.extra_t`, new Map(transpose.attrs)),
      node('Concat', [found.features, `${p}.extra_t`], `${p}.wide`, new Map([['axis', intAttr('axis', 2)]])),
    ],
  };
}

/**
 * The recognizer's classifier when `head` was trained on this model file (`modelDigest` equal to
 * the head's, the classifier reading the same tensor with the same width), with the tensor the
 * hidden branch reads (`hiddenInput`, its nodes named after `p`); undefined when they do not match.
 */
function fittedClassifier(model: OnnxModel, modelDigest: string, head: LatinHead, p: string): { found: ClassifierHead; wide: HiddenInput } | undefined {
  if (modelDigest !== head.modelSha256) return undefined;
  const found = findClassifierHead(model);
  if (!found || found.features !== head.features || found.dims[0] !== head.dim) return undefined;
  const wide = hiddenInput(model, found, head, p);
  return wide && { found, wide };
}

/**
 * The head's hidden branch, `linear + relu(wide · A + c) · B` as `${p}.logits`: its constants and
 * nodes (those making `wide` first); undefined for a head without a hidden layer.
 */
function hiddenBranch(head: LatinHead, wide: HiddenInput, linear: string, p: string): { constants: OnnxNode[]; nodes: OnnxNode[]; logits: string } | undefined {
  if (!(head.hidden && head.a && head.c && head.bb)) return undefined;
  const logits = `${p}.logits`;
  return {
    constants: [constantNode(`${p}.a`, head.a), constantNode(`${p}.c`, head.c), constantNode(`${p}.bb`, head.bb)],
    nodes: [
      ...wide.nodes,
      node('MatMul', [wide.input, `${p}.a`], `${p}.xa`),
      node('Add', [`${p}.xa`, `${p}.c`], `${p}.xac`),
      node('Relu', [`${p}.xac`], `${p}.h`),
      node('MatMul', [`${p}.h`, `${p}.bb`], `${p}.hb`),
      node('Add', [linear, `${p}.hb`], logits),
    ],
    logits,
  };
}

/**
 * Replaces the recognizer's classifier by `head`: `Softmax(x · W + b)` becomes
 * `Softmax(x · W' + b' [+ relu(x · A + c) · B])` over the head's classes. Only for the model file
 * the head was trained on (`modelDigest` equal to the head's, the classifier reading the same
 * tensor with the same width): the features of any other export mean something else. Returns
 * false, leaving the graph as it was, when they do not match.
 */
export function swapClassifierHead(model: OnnxModel, modelDigest: string, head: LatinHead): boolean {
  const p = 'latin_head';
  const fit = fittedClassifier(model, modelDigest, head, p);
  if (!fit) return false;
  const { found, wide } = fit;
  const names = { w: `${found.weight}__latin`, b: `${found.bias}__latin` };
  const added: OnnxNode[] = [constantNode(names.w, head.w), constantNode(names.b, head.b)];
  found.matmul.inputs[1] = names.w;
  found.add.inputs = found.add.inputs.map((i) => (i === found.bias ? names.b : i));
  const branch = hiddenBranch(head, wide, found.add.outputs[0]!, p);
  if (branch) {
    added.push(...branch.constants);
    found.softmax.inputs[0] = branch.logits;
    model.nodes.splice(model.nodes.indexOf(found.softmax), 0, ...branch.nodes);
  }
  model.nodes.unshift(...added);
  model.reshapedOutputs.add(model.outputs[0]!);
  return true;
}

/** Name of the second graph output `addClassifierHead` creates. */
export const HEAD_OUTPUT = 'latin_head.probs';

/**
 * Adds `head` beside the recognizer's own classifier: the graph keeps its first output (which
 * `pruneOutputClasses` may still narrow) and gains a second, `HEAD_OUTPUT`, the head's softmax over
 * its classes on the same timesteps, for the gated decode (recognition/ctc.decode.ts). Same
 * conditions as `swapClassifierHead`; returns false, leaving the graph as it was, when they fail.
 */
export function addClassifierHead(model: OnnxModel, modelDigest: string, head: LatinHead): boolean {
  const p = 'latin_gate';
  const fit = fittedClassifier(model, modelDigest, head, p);
  if (!fit) return false;
  const added: OnnxNode[] = [constantNode(`${p}.w`, head.w), constantNode(`${p}.b`, head.b)];
  const extra = [node('MatMul', [head.features, `${p}.w`], `${p}.xw`), node('Add', [`${p}.xw`, `${p}.b`], `${p}.linear`)];
  let logits = `${p}.linear`;
  const branch = hiddenBranch(head, fit.wide, logits, p);
  if (branch) {
    added.push(...branch.constants);
    extra.push(...branch.nodes);
    logits = branch.logits;
  }
  // The original's softmax attributes (axis) apply unchanged: same [N, T, classes] layout.
  extra.push(node('Softmax', [logits], HEAD_OUTPUT, new Map(fit.found.softmax.attrs)));
  model.nodes.unshift(...added);
  model.nodes.push(...extra);
  model.outputs.push(HEAD_OUTPUT);
  return true;
}
