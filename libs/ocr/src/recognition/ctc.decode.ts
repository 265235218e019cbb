import type { Charset } from './charset.ts';

/** One decoded symbol and the model timesteps it occupied. */
export interface DecodedChar {
  text: string;
  /** First and last timestep of the symbol's run (inclusive). */
  t0: number;
  t1: number;
  /** Highest class probability within the run, 0..1. */
  prob: number;
  space: boolean;
  /**
   * Highest probability the model gave the space class on the blank timesteps since the previous
   * symbol, 0..1: a space it considered and did not emit (word splitting weighs it with the ink).
   */
  spaceBefore: number;
  /** A lone dash's bar length over its line's cap height, measured on the ink (dash.ink.ts); absent elsewhere. */
  bar?: number;
}

/**
 * Greedy CTC decoding of one item of a softmax output [N, T, C]: argmax per timestep over the
 * allowed classes only (masked classes can never win), repeats merged, blanks dropped. Timesteps
 * are kept so characters can be placed back on the crop.
 * `steps` limits decoding to the timesteps covering the item's own (unpadded) width.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  item: number,
  timesteps: number,
  classes: number,
  charset: Charset,
  steps = timesteps,
): DecodedChar[] {
  const out: DecodedChar[] = [];
  const allowed = charset.allowed;
  const na = allowed.length;
  let prevText = '';
  let current: DecodedChar | undefined;
  let spaceSeen = 0;
  for (let t = 0; t < steps; t++) {
    const base = (item * timesteps + t) * classes;
    let best = 0;
    let bestP = -1;
    for (let k = 0; k < na; k++) {
      const c = allowed[k]!;
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    // Repeats merge by symbol, not class: the dictionary holds look-alikes that map to one symbol
    // (full-width and ASCII digits), which must not turn one glyph into two.
    const text = best === 0 ? '' : charset.symbols[best]!;
    if (text !== '' && text === prevText && current) {
      current.t1 = t;
      if (bestP > current.prob) current.prob = bestP;
    } else if (text !== '') {
      current = { text, t0: t, t1: t, prob: bestP, space: best === charset.space, spaceBefore: spaceSeen };
      out.push(current);
      spaceSeen = 0;
    } else {
      current = undefined;
      if (charset.space >= 0) spaceSeen = Math.max(spaceSeen, probs[base + charset.space]!);
    }
    prevText = text;
  }
  return out;
}
