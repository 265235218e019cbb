import type { DecodedChar } from './ctc.decode.ts';
import { cellExtent, type InkProfile } from './ink.profile.ts';

/** Combining marks drawn above the letter (grave … caron): U+0300–U+0314 after NFD. */
const MARK_ABOVE = /^[\u0300-\u0314]+$/;
/** Lower-case letters whose top is the x-height (no ascender, no dot). */
const X_HEIGHT = /^[acegmnopqrsuvwxyz]$/;

type Level = 'cap' | 'x';
const levelOf = (base: string): Level | undefined => (/^[A-Z]$/.test(base) ? 'cap' : X_HEIGHT.test(base) ? 'x' : undefined);

/**
 * Share of the reference letters' height by which an accent must rise above their top. Accents
 * stand a fifth to a half of that height above it in the fonts of training; 0.1 leaves room for
 * the overshoot of round letters and a pixel of blur at the recognizer's 48-pixel height.
 */
export const ACCENT_RISE = 0.1;

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Drops an accent above a letter where the crop's ink does not rise above the plain letters of
 * the same height beside it (capitals against capitals, x-height letters against x-height
 * letters): the head reads accents that are not there on clean capitals ("TOTAL" as "TOTÀL",
 * "NO" as "NÓ"), where an accent would have to stand above the cap height. The letter keeps its
 * base. Letters with an ascender or a dot (i, j, l, d…) carry no evidence either way and stay;
 * so does every letter of a crop without a plain letter of its height to compare
 * with, or without ink rows (a crop of too little contrast).
 */
export function accentsOnInk(chars: DecodedChar[], ink: InkProfile, stride: number): DecodedChar[] {
  const accented = chars.map((c) => accentedLetter(c.text));
  // Most crops carry no accent above a letter: nothing to measure then.
  if (!accented.some(Boolean)) return chars;
  const refs: Record<Level, Array<{ top: number; bottom: number }>> = { cap: [], x: [] };
  chars.forEach((c, i) => {
    const level = levelOf(c.text);
    const e = level && cellExtent(chars, i, ink, stride);
    if (level && e) refs[level].push(e);
  });
  const plain = { cap: plainLetters(refs.cap), x: plainLetters(refs.x) };
  return chars.map((c, i) => {
    const a = accented[i];
    const ref = a && plain[a.level];
    if (!ref) return c;
    const e = cellExtent(chars, i, ink, stride);
    if (!e) return c;
    return ref.top - e.top >= ACCENT_RISE * ref.height ? c : { ...c, text: a.base };
  });
}

/** The base letter and its height class when `text` is one capital or x-height letter with a mark above it. */
function accentedLetter(text: string): { base: string; level: Level } | undefined {
  const [base, ...marks] = text.normalize('NFD');
  const level = base && marks.length && MARK_ABOVE.test(marks.join('')) ? levelOf(base) : undefined;
  return level && { base: base!, level };
}

/** Median top row and height of the plain letters of one height class; undefined without any. */
function plainLetters(extents: ReadonlyArray<{ top: number; bottom: number }>): { top: number; height: number } | undefined {
  if (extents.length === 0) return undefined;
  const top = median(extents.map((r) => r.top));
  return { top, height: median(extents.map((r) => r.bottom)) - top };
}
