import { softmax } from './extraction.softmax.ts';

/**
 * Gradient-boosted decision trees (softmax over "none" + the categories) on binned features, in
 * plain TypeScript: histograms of gradients per feature bin make each split one pass over the
 * node's rows, so a fit of 10,000 rows × 250 features takes seconds, not the quadratic minutes of
 * ml-cart.
 */
export interface TreeEnsemble {
  /** Per feature, ascending bin edges: a value v falls in the first bin whose edge is ≥ v. */
  edges: number[][];
  /** Initial score per class. */
  base: number[];
  /** Rounds × classes trees, each flat: [feature, threshold bin, left, right] per inner node, leaves as [-1, value]. */
  trees: number[][][];
}

export interface TreeOptions {
  /** @defaultValue 120 */
  rounds?: number;
  /** @defaultValue 4 */
  depth?: number;
  /** @defaultValue 0.1 */
  shrinkage?: number;
  /** L2 on leaf values. @defaultValue 1 */
  lambda?: number;
  /** Least hessian in a leaf. @defaultValue 1 */
  minChild?: number;
  /** @defaultValue 32 */
  bins?: number;
}

function binEdges(x: readonly number[][], j: number, bins: number): number[] {
  const values = x.map((r) => r[j] ?? 0).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = values[Math.min(values.length - 1, Math.floor((b * values.length) / bins))] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  return edges;
}

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Fits the ensemble on rows `x` with classes `y` (0 = none). */
export async function fitTrees(x: readonly number[][], y: readonly number[], classes: number, options: TreeOptions = {}): Promise<TreeEnsemble> {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const bins = options.bins ?? 32;
  const rounds = options.rounds ?? 120;
  const depth = options.depth ?? 4;
  const eta = options.shrinkage ?? 0.1;
  const lambda = options.lambda ?? 1;
  const minChild = options.minChild ?? 1;
  const edges = Array.from({ length: d }, (_, j) => binEdges(x, j, bins));
  const nb = bins + 1;
  // Column-major bins: one feature's bins of all rows are contiguous for the histogram pass.
  const binned = new Uint8Array(d * n);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) binned[j * n + i] = binOf(edges[j] as number[], x[i]?.[j] ?? 0);
  const prior = Array.from({ length: classes }, (_, c) => Math.log((y.filter((l) => l === c).length + 1) / (n + classes)));
  const score = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) for (let c = 0; c < classes; c++) score[i * classes + c] = prior[c] as number;
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  // Features with one value on every row can never split.
  const active = Array.from({ length: d }, (_, j) => j).filter((j) => binned.subarray(j * n, (j + 1) * n).some((b) => b !== binned[j * n]));
  const trees: number[][][] = [];
  const p = new Float64Array(n * classes);
  for (let round = 0; round < rounds; round++) {
    // Yield between rounds: the worker must keep renewing its job lock during a fit.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let c = 0; c < classes; c++) m = Math.max(m, score[i * classes + c] as number);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += p[i * classes + c] = Math.exp((score[i * classes + c] as number) - m);
      for (let c = 0; c < classes; c++) p[i * classes + c] = (p[i * classes + c] as number) / sum;
    }
    const roundTrees: number[][] = [];
    for (let c = 0; c < classes; c++) {
      for (let i = 0; i < n; i++) {
        const pc = p[i * classes + c] as number;
        g[i] = pc - (y[i] === c ? 1 : 0);
        h[i] = Math.max(1e-6, pc * (1 - pc));
      }
      const tree: number[] = [];
      /** Gradient and hessian sums per feature bin over `rows`. */
      const histogram = (rows: Int32Array): [Float64Array, Float64Array] => {
        const hg = new Float64Array(d * nb);
        const hh = new Float64Array(d * nb);
        for (const j of active) {
          const col = j * n;
          const off = j * nb;
          for (const i of rows) {
            const b = off + (binned[col + i] as number);
            hg[b] = (hg[b] as number) + (g[i] as number);
            hh[b] = (hh[b] as number) + (h[i] as number);
          }
        }
        return [hg, hh];
      };
      const grow = (rows: Int32Array, level: number, hist?: [Float64Array, Float64Array]): number => {
        let G = 0;
        let H = 0;
        for (const i of rows) {
          G += g[i] as number;
          H += h[i] as number;
        }
        const at = tree.length;
        const leaf = () => {
          tree.push(-1, (-G / (H + lambda)) * eta, 0, 0);
          return at;
        };
        if (level >= depth || rows.length < 2 || H < 2 * minChild) return leaf();
        const [histG, histH] = hist ?? histogram(rows);
        const parent = (G * G) / (H + lambda);
        let best = 1e-9;
        let bestJ = -1;
        let bestB = -1;
        for (const j of active) {
          let gl = 0;
          let hl = 0;
          const off = j * nb;
          const last = (edges[j] as number[]).length;
          for (let b = 0; b < last; b++) {
            gl += histG[off + b] as number;
            hl += histH[off + b] as number;
            const hr = H - hl;
            if (hl < minChild || hr < minChild) continue;
            const gr = G - gl;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
            if (gain > best) {
              best = gain;
              bestJ = j;
              bestB = b;
            }
          }
        }
        if (bestJ < 0) return leaf();
        const col = bestJ * n;
        const left = rows.filter((i) => (binned[col + i] as number) <= bestB);
        const right = rows.filter((i) => (binned[col + i] as number) > bestB);
        tree.push(bestJ, bestB, 0, 0);
        // The smaller child's histogram is counted, the larger one's is the parent's less it.
        let childHist: [[Float64Array, Float64Array] | undefined, [Float64Array, Float64Array] | undefined] = [undefined, undefined];
        if (level + 1 < depth) {
          const small = left.length <= right.length ? 0 : 1;
          const counted = histogram(small === 0 ? left : right);
          const rest: [Float64Array, Float64Array] = [histG.map((v, b) => v - (counted[0][b] as number)), histH.map((v, b) => v - (counted[1][b] as number))];
          childHist = small === 0 ? [counted, rest] : [rest, counted];
        }
        tree[at + 2] = grow(left, level + 1, childHist[0]);
        tree[at + 3] = grow(right, level + 1, childHist[1]);
        return at;
      };
      grow(Int32Array.from({ length: n }, (_, i) => i), 0);
      // Scores of the training rows move by the new tree.
      for (let i = 0; i < n; i++) {
        let node = 0;
        while (tree[node] !== -1) node = (binned[(tree[node] as number) * n + i] as number) <= (tree[node + 1] as number) ? (tree[node + 2] as number) : (tree[node + 3] as number);
        score[i * classes + c] = (score[i * classes + c] as number) + (tree[node + 1] as number);
      }
      roundTrees.push(tree);
    }
    trees.push(roundTrees);
  }
  return { edges, base: prior, trees };
}

/**
 * Class probabilities of rows under a fitted ensemble. A split on bin b is the test v ≤ edges[b]
 * on the raw value, so rows are never binned: each tree reads only the features it splits on.
 */
export function compileTrees(model: TreeEnsemble): (x: readonly number[][]) => number[][] {
  const classes = model.base.length;
  const flat = model.trees.flatMap((round) => round.map((tree) => tree.map((v, k) => (k % 4 === 1 && tree[k - 1] !== -1 ? (model.edges[tree[k - 1] as number]?.[v] ?? Infinity) : v))));
  return (x) =>
    x.map((row) => {
      const s = model.base.slice();
      flat.forEach((tree, t) => {
        let node = 0;
        while (tree[node] !== -1) node = (row[tree[node] as number] ?? 0) <= (tree[node + 1] as number) ? (tree[node + 2] as number) : (tree[node + 3] as number);
        const c = t % classes;
        s[c] = (s[c] as number) + (tree[node + 1] as number);
      });
      return softmax(s);
    });
}
