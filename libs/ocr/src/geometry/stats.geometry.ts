/** Averages of measurements (line heights, gaps, confidences); none modifies its input. */

/** Mean of `values`, or `fallback` when empty. */
export function mean(values: readonly number[], fallback = 0): number {
  if (values.length === 0) return fallback;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median of `values`; `fallback` for an empty list. */
export function median(values: readonly number[], fallback = 0): number {
  if (values.length === 0) return fallback;
  const s = [...values].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Value at quantile `q` (0..1, nearest rank) of `values`; `fallback` when empty. */
export function quantile(values: readonly number[], q: number, fallback = 0): number {
  if (values.length === 0) return fallback;
  const s = [...values].sort((p, r) => p - r);
  const i = Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))));
  return s[i] as number;
}
