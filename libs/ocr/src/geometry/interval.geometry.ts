/** Closed intervals on one axis: projections of boxes, for whitespace channels and columns. */

/** A closed interval on one axis, `a <= b`. */
export interface Interval {
  a: number;
  b: number;
}

/** Merges overlapping or touching intervals; returns them sorted by start. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const s = [...intervals].sort((p, q) => p.a - q.a);
  const out: Interval[] = [];
  for (const iv of s) {
    const last = out[out.length - 1];
    if (last && iv.a <= last.b) last.b = Math.max(last.b, iv.b);
    else out.push({ a: iv.a, b: iv.b });
  }
  return out;
}

/** The parts of `[lo, hi]` not covered by `covered` (which must be merged and sorted). */
export function complementIntervals(covered: readonly Interval[], lo: number, hi: number): Interval[] {
  const out: Interval[] = [];
  let at = lo;
  for (const iv of covered) {
    if (iv.a > at) out.push({ a: at, b: Math.min(iv.a, hi) });
    at = Math.max(at, iv.b);
    if (at >= hi) break;
  }
  if (at < hi) out.push({ a: at, b: hi });
  return out.filter((iv) => iv.b > iv.a);
}

/** Pairwise intersection of two sorted, disjoint interval lists. */
export function intersectIntervals(p: readonly Interval[], q: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length && j < q.length) {
    const u = p[i] as Interval;
    const v = q[j] as Interval;
    const a = Math.max(u.a, v.a);
    const b = Math.min(u.b, v.b);
    if (b > a) out.push({ a, b });
    if (u.b < v.b) i++;
    else j++;
  }
  return out;
}
