import type { Charset, LatinGate } from './charset.ts';
import type { DecodedChar } from './ctc.decode.ts';

/**
 * Letters whose base is not what Unicode decomposition gives (no combining mark to strip): the
 * stroke and ligature-like letters read as their look-alike. ß has no ASCII twin; the original
 * reads it as B or s.
 */
const BASES: Record<string, string[]> = {
  ß: ['b', 's'],
  ø: ['o'],
  ł: ['l'],
  đ: ['d'],
  ð: ['d'],
  ħ: ['h'],
  ı: ['i'],
  ŀ: ['l'],
  ŧ: ['t'],
  ĸ: ['k'],
};

/** The ASCII letters a Latin letter is read as without its marks; [] when it has none. */
export function asciiBases(ch: string): string[] {
  if (!/^\p{Script=Latin}$/u.test(ch) || /^[\x00-\x7f]$/.test(ch)) return [];
  const lower = ch.toLowerCase();
  if (BASES[lower]) return BASES[lower];
  const stripped = lower.normalize('NFD').replace(/\p{M}/gu, '');
  return /^[a-z]$/.test(stripped) ? [stripped] : [];
}

/**
 * Symbols the original classifier has no class for, with what it reads in their place (measured on
 * generated lines: € as C, E or f, £ as f or E, § as S, ß as β, superscript digits as digits). The
 * head's symbol replaces such a reading as an accented letter replaces its base letter.
 */
const LOOKALIKES: Record<string, string[]> = {
  '€': ['C', 'c', 'E', 'e', 'f'],
  '£': ['f', 'E', 'L'],
  '¥': ['Y'],
  '§': ['S', 's'],
  '¹': ['1'],
  '²': ['2'],
  '³': ['3'],
  ß: ['β'],
};

/** ASCII punctuation, also the original's multi-character look-alikes (《 reads as <<). */
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]+$/;

/** The gate for a head with these classes. */
export function latinGate(headClasses: readonly string[], threshold: number): LatinGate {
  const kind = new Uint8Array(headClasses.length);
  const base: string[][] = headClasses.map(() => []);
  const minP = new Float32Array(headClasses.length).fill(threshold);
  // Typographic punctuation and currency signs are kind 2. The minus sign is kind 3, taken only over
  // ASCII punctuation (the head reads long dashes as it; dashKind tells dash from hyphen), never
  // where the original saw nothing: on rules and specks it is the head's likeliest mark.
  headClasses.forEach((s, k) => {
    if (k === 0 || s.length !== 1) return;
    const b = asciiBases(s);
    if (b.length) {
      kind[k] = 1;
      base[k] = b;
      // The dot of i and j is itself a mark above the letter: on a noisy scan it reads as an
      // accent, so an accent there needs the head halfway surer between the threshold and certainty.
      if (b.some((x) => x === 'i' || x === 'j')) minP[k] = (1 + threshold) / 2;
    } else if (s === '−') kind[k] = 3;
    else if (/^[^\x00-\x7f]$/.test(s) && /^[\p{P}\p{Sc}]$/u.test(s)) kind[k] = 2;
  });
  return { symbols: headClasses.slice(), kind, base, threshold, minP, lookalike: headClasses.map((s) => LOOKALIKES[s] ?? []) };
}

/**
 * Greedy CTC decoding of one item with the original classifier (`probs`, over `charset`), except
 * where the head (`headProbs`, over `gate.symbols`) is confident of something the original cannot
 * say: an accented letter over a run the original read as its ASCII base (the whole run takes the
 * head's letter when the head's best probability within it reaches the threshold), a symbol over
 * the original's look-alike for it (€ over C), or typographic punctuation where the original read
 * a blank or ASCII punctuation. Everything else, and every
 * timestep where the head is unsure, is the original's reading: the head moved ASCII rows when it
 * replaced the classifier outright (README of scripts/latin-head).
 */
export function gatedCtcDecode(
  probs: Float32Array,
  headProbs: Float32Array,
  item: number,
  timesteps: number,
  classes: number,
  charset: Charset,
  gate: LatinGate,
  steps = timesteps,
): DecodedChar[] {
  const hc = gate.symbols.length;
  const allowed = charset.allowed;
  const label: string[] = new Array(steps);
  const prob = new Float32Array(steps);
  const orig = new Int32Array(steps);
  const headBest = new Int32Array(steps);
  const headP = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    const base = (item * timesteps + t) * classes;
    let best = 0;
    let bestP = -1;
    for (let k = 0; k < allowed.length; k++) {
      const p = probs[base + allowed[k]!]!;
      if (p > bestP) {
        bestP = p;
        best = allowed[k]!;
      }
    }
    orig[t] = best;
    label[t] = best === 0 ? '' : charset.symbols[best]!;
    prob[t] = bestP;
    const hb = (item * timesteps + t) * hc;
    let hk = 0;
    let hp = -1;
    for (let k = 0; k < hc; k++) {
      const p = headProbs[hb + k]!;
      if (p > hp) {
        hp = p;
        hk = k;
      }
    }
    headBest[t] = hk;
    headP[t] = hp;
  }
  // Runs of one original symbol change as a whole (a partial swap would split one glyph into two
  // symbols); blank timesteps one by one (the original saw nothing there).
  for (let t0 = 0; t0 < steps; ) {
    let t1 = t0;
    while (t1 + 1 < steps && label[t1 + 1] === label[t0]) t1++;
    const text = label[t0]!;
    if (text === '') {
      for (let t = t0; t <= t1; t++) {
        const hk = headBest[t]!;
        if (gate.kind[hk] === 2 && headP[t]! >= gate.threshold) ((label[t] = gate.symbols[hk]!), (prob[t] = headP[t]!));
      }
    } else {
      const punct = ASCII_PUNCTUATION.test(text);
      // An accented letter the original read (it has a few: é è à ü …) may become another accent
      // on the same base; ASCII letters are their own base.
      const bases = /^[a-zA-Z]$/.test(text) ? [text.toLowerCase()] : asciiBases(text);
      let take = -1;
      let takeP = gate.threshold;
      for (let t = t0; t <= t1; t++) {
        const hk = headBest[t]!;
        const agrees =
          gate.lookalike[hk]!.includes(text) ||
          (punct ? gate.kind[hk] === 2 || gate.kind[hk] === 3 : gate.kind[hk] === 1 && gate.base[hk]!.some((b) => bases.includes(b)));
        if (agrees && headP[t]! >= takeP && headP[t]! >= gate.minP[hk]!) ((take = hk), (takeP = headP[t]!));
      }
      if (take >= 0) for (let t = t0; t <= t1; t++) ((label[t] = gate.symbols[take]!), (prob[t] = Math.max(prob[t]!, takeP)));
    }
    t0 = t1 + 1;
  }
  const out: DecodedChar[] = [];
  let prevText = '';
  let current: DecodedChar | undefined;
  let spaceSeen = 0;
  for (let t = 0; t < steps; t++) {
    const text = label[t]!;
    if (text !== '' && text === prevText && current) {
      current.t1 = t;
      if (prob[t]! > current.prob) current.prob = prob[t]!;
    } else if (text !== '') {
      current = { text, t0: t, t1: t, prob: prob[t]!, space: orig[t] === charset.space && text === ' ', spaceBefore: spaceSeen };
      out.push(current);
      spaceSeen = 0;
    } else {
      current = undefined;
      if (charset.space >= 0) spaceSeen = Math.max(spaceSeen, probs[(item * timesteps + t) * classes + charset.space]!);
    }
    prevText = text;
  }
  return out;
}
