import { median } from '../geometry/index.ts';
import type { DecodedChar } from './ctc.decode.ts';

/** A word within a recognized crop: its characters and its span in crop-input columns. */
export interface CropWord {
  text: string;
  confidence: number;
  /** Start and end column in the recognizer input (0..inputWidth). */
  x0: number;
  x1: number;
}

/** What lies between two consecutive visible characters of a line. */
export interface CharGap {
  /** Longest run of ink-free columns between the two characters: start column and length, px. */
  start: number;
  length: number;
  /** The recognizer emitted a space there. */
  spoken: boolean;
  /** Highest probability the recognizer gave a space there without emitting one, 0..1. */
  spaceProb: number;
  /** Distance between the two characters' model positions, px. */
  pitch: number;
  /**
   * The ink profile shows nothing where the model read one of the two letters or digits (faint
   * print below the profile's cut): the blank run then measures the profile's blindness, not the
   * spacing, and is no evidence of a word break.
   */
  blind: boolean;
}

/** A decoded crop ready for word splitting. */
export interface LineGlyphs {
  /** Visible characters (spaces removed). */
  chars: DecodedChar[];
  /** gaps[i] lies between chars[i] and chars[i + 1]. */
  gaps: CharGap[];
  /** Input columns per model timestep. */
  stride: number;
  inputWidth: number;
  ink: Uint8Array;
}

export interface WordSplitSettings {
  /** Recognizer input height, px (48). */
  height: number;
  /** A gap of at least this × height always breaks a word. */
  gapRatio: number;
  /** …and so does a gap of at least this × the line's typical letter gap… */
  gapFactor: number;
  /** …and one of at least this × the line's typical character pitch. */
  pitchFactor: number;
  /** Weight, in gaps, of the page's typical letter gap in each line's estimate. */
  pagePrior: number;
}

const DIGIT = /^[0-9]$/;
const NUMBER_SEPARATOR = /^[.,]$/;
const CLOSING = /^[,.;:!?)\]%]$/;
const OPENING = /^[(\[¿¡]$/;
const NARROW = /^[ilIjtfr1|!']$/;
const LETTER = /^\p{L}$/u;
const ALNUM = /^[\p{L}\p{N}]$/u;

/**
 * Whether the gap after chars[i] lies inside a word whatever its width: an underscore has no ink
 * in the middle band the ink profile reads, so it looks like a gap, yet it sits inside
 * identifiers; '@' sits inside an e-mail address (a letter or digit before it, a letter after),
 * while receipts write "2 @ 3.50" and "GST @6%".
 */
function joined(chars: readonly { text: string }[], i: number): boolean {
  const [p, a, b, n] = [chars[i - 1]?.text ?? '', chars[i]!.text, chars[i + 1]!.text, chars[i + 2]?.text ?? ''];
  if (a === '_' || b === '_') return true;
  return (b === '@' && ALNUM.test(a) && LETTER.test(n)) || (a === '@' && ALNUM.test(p) && LETTER.test(b));
}

/**
 * How much wider than usual a gap must be to break a word between these two characters. Digits
 * are tabular (a narrow '1' or ',' leaves a wide blank inside a number), text hardly ever has a
 * space before closing punctuation or after opening punctuation, which monospace fonts set far apart, and narrow letters leave
 * wide blanks between them. Each factor was measured on the whole dev set.
 */
function gapFactor(a: string, b: string): number {
  const digitA = DIGIT.test(a);
  const digitB = DIGIT.test(b);
  if ((digitA && (digitB || NUMBER_SEPARATOR.test(b))) || (digitB && NUMBER_SEPARATOR.test(a))) return 1.5;
  if (CLOSING.test(b) || OPENING.test(a)) return 1.5;
  // Two narrow glyphs ("ll", "ti") stand further apart than their advance suggests.
  if (NARROW.test(a) && NARROW.test(b)) return 1.5;
  return 1;
}

/**
 * The blank from which the gap between characters `a` and `b` breaks a word. The ink and the
 * recognizer are two witnesses: a space the model weighed but did not emit (probability p, below
 * the blank's) lowers the width the ink must show by that share, so a gap the model is half sure
 * of needs half the usual blank, and one it never considered needs all of it. Not next to
 * punctuation that text rarely spaces (before closing, after opening): there the model's doubt
 * comes from the same wide blank that a narrow mark centred in a monospace cell leaves ("NAME:" in
 * Courier), and the ink alone has to show the space.
 */
function breakWidth(threshold: number, a: string, b: string, spaceProb: number): number {
  const doubt = CLOSING.test(b) || OPENING.test(a) ? 0 : Math.min(1, Math.max(0, spaceProb));
  return threshold * gapFactor(a, b) * (1 - doubt);
}

/** Longest run of columns without ink in [a, b). */
function longestGap(ink: Uint8Array, a: number, b: number): { start: number; length: number } {
  let bestStart = a;
  let best = 0;
  let runStart = -1;
  for (let x = Math.max(0, a); x < Math.min(ink.length, b); x++) {
    if (ink[x] === 0) {
      if (runStart < 0) runStart = x;
      if (x + 1 - runStart > best) {
        best = x + 1 - runStart;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  return { start: bestStart, length: best };
}

/**
 * Whether the ink profile misses a letter or digit the model read: no ink column within one
 * timestep of its position. A glyph's strokes lie around the timesteps that emit it, so a letter
 * with no ink there was printed too faintly for the profile's cut (faded thermal paper, light
 * toner). Punctuation is left out: a dot or colon is small enough to fall between the profile's
 * rows or below its cut while the rest of the line is seen well.
 */
function unseen(c: DecodedChar, ink: Uint8Array, stride: number): boolean {
  if (!ALNUM.test(c.text)) return false;
  const lo = Math.max(0, Math.floor((c.t0 - 0.5) * stride));
  const hi = Math.min(ink.length, Math.ceil((c.t1 + 1.5) * stride));
  for (let x = lo; x < hi; x++) if (ink[x] === 1) return false;
  return true;
}

/** Visible characters of a decoded crop and the pixel gaps between them. */
export function measureGlyphs(decoded: readonly DecodedChar[], ink: Uint8Array, stride: number, inputWidth: number): LineGlyphs {
  const chars: DecodedChar[] = [];
  const gaps: CharGap[] = [];
  let spoken = false;
  let prevUnseen = false;
  for (const c of decoded) {
    if (c.space) {
      spoken = chars.length > 0;
      continue;
    }
    const prev = chars[chars.length - 1];
    const cUnseen = unseen(c, ink, stride);
    if (prev) {
      const a = Math.min(inputWidth, (prev.t1 + 0.5) * stride);
      const b = Math.min(inputWidth, (c.t0 + 0.5) * stride);
      const pitch = ((c.t0 + c.t1 - prev.t0 - prev.t1) / 2) * stride;
      gaps.push({ ...longestGap(ink, Math.floor(a), Math.ceil(b)), spoken, spaceProb: c.spaceBefore, pitch, blind: prevUnseen || cUnseen });
    }
    prevUnseen = cUnseen;
    spoken = false;
    chars.push(c);
  }
  return { chars, gaps, stride, inputWidth, ink };
}

/**
 * The gap, in input px, from which each line breaks words. The recognizer drops many spaces, but
 * they stay visible as blank columns; what counts as wide depends on the font (monospace letters
 * stand far apart), so the threshold is the largest of a share of the line height, a multiple of
 * the line's median letter gap and a share of its character pitch, the medians pulled towards the
 * page's for short lines. Measured on the whole dev set and synthetic pages, never single files.
 */
export function wordGapThresholds(lines: readonly LineGlyphs[], s: WordSplitSettings): number[] {
  const letters = (l: LineGlyphs) => l.gaps.filter((g) => !g.spoken && !g.blind);
  const all = lines.flatMap(letters);
  const pageGap = median(all.map((g) => g.length));
  const pagePitch = median(all.map((g) => g.pitch));
  const blend = (line: number, n: number, page: number) => (line * n + page * s.pagePrior) / (n + s.pagePrior || 1);
  return lines.map((l) => {
    const g = letters(l);
    const gap = blend(median(g.map((x) => x.length)), g.length, pageGap);
    const pitch = blend(median(g.map((x) => x.pitch)), g.length, pagePitch);
    return Math.max(s.gapRatio * s.height, s.gapFactor * gap, s.pitchFactor * pitch);
  });
}

/**
 * Splits a line into words at the spaces the model emitted and at gaps of at least `threshold`
 * px (less where the model weighed a space) the profile can vouch for (not blind); word spans
 * follow the ink columns.
 */
export function splitWords(line: LineGlyphs, threshold: number): CropWord[] {
  const { chars, gaps, stride, inputWidth, ink } = line;
  if (chars.length === 0) return [];
  const words: CropWord[] = [];
  const first = chars[0]!;
  // A word starts at the first ink before its first character, within a character's width.
  const inkFrom = (x: number) => {
    let i = Math.max(0, Math.floor(x));
    const lo = Math.max(0, i - Math.ceil(2 * stride));
    while (i > lo && ink[i - 1] === 1) i--;
    return i;
  };
  const inkTo = (x: number) => {
    let i = Math.min(inputWidth, Math.ceil(x));
    const hi = Math.min(inputWidth, i + Math.ceil(2 * stride));
    while (i < hi && ink[i] === 1) i++;
    return i;
  };
  let start = 0;
  let x0 = inkFrom(first.t0 * stride);
  const flush = (end: number, x1: number) => {
    const part = chars.slice(start, end);
    words.push({
      text: part.map((c) => c.text).join(''),
      confidence: part.reduce((a, c) => a + c.prob, 0) / part.length,
      x0,
      x1: Math.max(x1, x0 + 1),
    });
  };
  for (let i = 0; i < gaps.length; i++) {
    const g = gaps[i]!;
    if (!g.spoken && (g.blind || g.length < breakWidth(threshold, chars[i]!.text, chars[i + 1]!.text, g.spaceProb) || joined(chars, i))) continue;
    const cut = g.length > 0 ? g.start : Math.min(inputWidth, (chars[i]!.t1 + chars[i + 1]!.t0 + 1) * 0.5 * stride);
    flush(i + 1, cut);
    start = i + 1;
    x0 = g.length > 0 ? g.start + g.length : cut;
  }
  const last = chars[chars.length - 1]!;
  flush(chars.length, inkTo((last.t1 + 1) * stride));
  return words;
}
