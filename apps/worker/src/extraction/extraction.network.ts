import { createRequire } from 'node:module';
import { softmax } from './extraction.softmax.ts';

// Both loaded as CommonJS: the CPU backend requires tfjs-core's CommonJS build, and an ES import
// of tfjs-core would be a second copy without that backend's kernels.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
type Scalar = import('@tensorflow/tfjs-core').Scalar;
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;
require('@tensorflow/tfjs-backend-cpu');
// tfjs-core's CommonJS build registers no gradients; tfjs-layers' build registers them all.
require('@tensorflow/tfjs-layers');

/**
 * A small feed-forward network (one hidden layer, softmax over "none" + the categories) fitted
 * with @tensorflow/tfjs on its pure-JS CPU backend. Prediction is plain arithmetic over the
 * stored weights: a page's few hundred words take well under a millisecond, without tfjs.
 */
export interface NetworkWeights {
  mean: number[];
  scale: number[];
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

export interface NetworkOptions {
  /** @defaultValue 32 */
  hidden?: number;
  /**
   * Passes over the data. @defaultValue enough for ~600 optimizer steps, 15 to 80 passes: a few
   * documents need many passes, many documents few.
   */
  epochs?: number;
  /** @defaultValue 0.01 */
  learningRate?: number;
  /** Weight of the squared weights in the loss. @defaultValue 1e-4 */
  l2?: number;
  /** @defaultValue 7 */
  seed?: number;
  /**
   * Weight of the per-page ranking loss beside the per-candidate one (0: none). The predictor
   * answers each category's best candidate of a page, so the fit also learns to put the
   * annotated value above its page's other candidates: a softmax over the page's rows, per
   * category, of each row's probability of that category. Needs `groups`. @defaultValue 0
   */
  rankWeight?: number;
  /** Per category (not "none"): whether the ranking loss covers it. @defaultValue every category */
  rankCategories?: readonly boolean[];
}

let backendReady: Promise<boolean> | null = null;

/**
 * Fits the network on rows `x` with classes `y`. `groups[i]` is the page row i comes from: batches
 * then hold whole pages, so the ranking loss compares a page's candidates with each other.
 */
export async function fitNetwork(x: readonly number[][], y: readonly number[], classes: number, options: NetworkOptions = {}, groups?: readonly number[]): Promise<NetworkWeights> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
  const d = x[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j] = (mean[j] ?? 0) + v / x.length));
  for (const row of x) row.forEach((v, j) => (scale[j] = (scale[j] ?? 0) + ((v - (mean[j] ?? 0)) ** 2) / x.length));
  const inv = scale.map((s) => (s > 1e-9 ? 1 / Math.sqrt(s) : 0));
  const hidden = options.hidden ?? 32;
  const seed = options.seed ?? 7;
  {
    const xs = tf.tensor2d(x.map((row) => row.map((v, j) => (v - (mean[j] ?? 0)) * (inv[j] ?? 0))));
    const labels = tf.tensor1d([...y], 'int32');
    const ys = tf.oneHot(labels, classes);
    labels.dispose();
    const w1 = tf.variable(tf.randomNormal([d, hidden], 0, Math.sqrt(2 / Math.max(1, d)), 'float32', seed));
    const b1 = tf.variable(tf.zeros([hidden]));
    const w2 = tf.variable(tf.randomNormal([hidden, classes], 0, Math.sqrt(1 / hidden), 'float32', seed + 1));
    const b2 = tf.variable(tf.zeros([classes]));
    const optimizer = tf.train.adam(options.learningRate ?? 0.01);
    const n = x.length;
    const batch = 256;
    const rankWeight = groups ? (options.rankWeight ?? 0) : 0;
    // Units of shuffling: single rows, or whole pages when a ranking loss compares a page's rows.
    const units: number[][] = [];
    if (rankWeight > 0 && groups) {
      const byGroup = new Map<number, number[]>();
      groups.forEach((g, i) => {
        const rows = byGroup.get(g);
        if (rows) rows.push(i);
        else byGroup.set(g, [i]);
      });
      units.push(...byGroup.values());
    } else for (let i = 0; i < n; i++) units.push([i]);
    const rankMask = tf.tensor1d(Array.from({ length: classes - 1 }, (_, c) => (options.rankCategories?.[c] ?? true ? 1 : 0)));
    let s = seed;
    const epochs = options.epochs ?? Math.min(80, Math.max(15, Math.ceil(600 / Math.ceil(n / batch))));
    const logits = (bx: Tensor2D) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(bx, w1), b1)), w2), b2);
    for (let epoch = 0; epoch < epochs; epoch++) {
      // Yield between passes: a fit takes minutes, and the worker must keep renewing its job lock.
      await new Promise((resolve) => setImmediate(resolve));
      // Seeded shuffle: the same data fits the same network.
      for (let i = units.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const j = s % (i + 1);
        [units[i], units[j]] = [units[j] as number[], units[i] as number[]];
      }
      for (let start = 0; start < units.length; ) {
        const rows: number[] = [];
        const pageOf: number[] = [];
        let pagesInBatch = 0;
        while (start < units.length && (rows.length === 0 || rows.length + (units[start] as number[]).length <= batch)) {
          for (const r of units[start] as number[]) {
            rows.push(r);
            pageOf.push(pagesInBatch);
          }
          pagesInBatch++;
          start++;
        }
        const idx = tf.tensor1d(rows, 'int32');
        // Page membership as a matrix (pages × rows), so per-page sums are one product.
        const member = rankWeight > 0 ? tf.tensor2d(Array.from({ length: pagesInBatch }, (_, g) => pageOf.map((p) => (p === g ? 1 : 0)))) : null;
        optimizer.minimize(() => {
          const bx = tf.gather(xs, idx) as Tensor2D;
          const by = tf.gather(ys, idx);
          const z = logits(bx);
          const l2 = tf.mul(options.l2 ?? 1e-4, tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(w2))));
          let loss = tf.add(tf.losses.softmaxCrossEntropy(by, z), l2);
          if (member) {
            // Per page and category (not "none"): −log(p(answer) / Σ p(row)) over the page's rows.
            const logp = tf.slice(tf.logSoftmax(z), [0, 1], [-1, classes - 1]);
            const target = tf.mul(tf.slice(by, [0, 1], [-1, classes - 1]), rankMask);
            const present = tf.matMul(member, target);
            const perPage = tf.log(tf.add(tf.matMul(member, tf.exp(logp)), 1e-12));
            const rank = tf.sub(tf.sum(tf.mul(present, perPage)), tf.sum(tf.mul(target, logp)));
            loss = tf.add(loss, tf.mul(rankWeight, tf.div(rank, tf.maximum(tf.sum(present), 1))));
          }
          return loss as Scalar;
        });
        idx.dispose();
        member?.dispose();
      }
    }
    optimizer.dispose();
    const out: NetworkWeights = {
      mean,
      scale: inv,
      w1: w1.arraySync() as number[][],
      b1: b1.arraySync() as number[],
      w2: w2.arraySync() as number[][],
      b2: b2.arraySync() as number[],
    };
    for (const t of [xs, ys, w1, b1, w2, b2, rankMask]) t.dispose();
    return out;
  }
}

/**
 * Class probabilities of rows, with the weights prepared once: standardization folded into the
 * first layer (h = b1' + Σ v·w1'), so the many zero features (keyword flags) cost nothing.
 */
export function compileNetwork(net: NetworkWeights): (x: readonly number[][]) => number[][] {
  const hidden = net.b1.length;
  const classes = net.b2.length;
  const d = net.mean.length;
  const w1 = new Float64Array(d * hidden);
  const b1 = Float64Array.from(net.b1);
  net.w1.forEach((row, j) => {
    const scale = net.scale[j] ?? 0;
    const shift = -(net.mean[j] ?? 0) * scale;
    row.forEach((v, k) => {
      w1[j * hidden + k] = v * scale;
      b1[k] = (b1[k] as number) + v * shift;
    });
  });
  const w2 = new Float64Array(hidden * classes);
  net.w2.forEach((row, k) => row.forEach((v, c) => (w2[k * classes + c] = v)));
  const h = new Float64Array(hidden);
  const logits = new Float64Array(classes);
  return (x) =>
    x.map((row) => {
      h.set(b1);
      for (let j = 0; j < d; j++) {
        const z = row[j] ?? 0;
        if (z === 0) continue;
        const base = j * hidden;
        for (let k = 0; k < hidden; k++) h[k] = (h[k] as number) + z * (w1[base + k] as number);
      }
      logits.set(net.b2);
      for (let k = 0; k < hidden; k++) {
        const a = h[k] as number;
        if (a <= 0) continue;
        for (let c = 0; c < classes; c++) logits[c] = (logits[c] as number) + a * (w2[k * classes + c] as number);
      }
      return softmax(logits);
    });
}
