/**
 * A line's font size from its box. A detector box wraps the line's ink, so at one font size
 * "maison" is shorter than "Échéance : 12 juillet", whose accented capital rises above the capitals
 * and whose j hangs below the baseline: comparing raw box heights makes such a line look larger
 * than the body. Dividing by the share of the em its characters can reach compares font sizes.
 * Text-layer boxes come from the font's ascent and descent, whatever the characters, so they are
 * font sizes already.
 */
import type { Line, Word } from '../page.ts';

/** Fractions of the em, measured from the baseline (DejaVu and Liberation faces, rounded). */
const X_HEIGHT = 0.53;
const CAP_HEIGHT = 0.73;
const ACCENTED_CAP = 0.92;
const DESCENDER = 0.21;
const COMMA = 0.12;
/** The extent of a line with capitals or ascenders and descenders: where the correction is 1. */
const TYPICAL = CAP_HEIGHT + DESCENDER;

const RISES = /[\p{Lu}\p{Lt}\p{N}bdfhklt!?#$%&@/\\|()[\]{}'"“”‘’«»€£¥§ßij]/u;
const HANGS = /[gjpqyQ()[\]{}|µ]/u;
const MARK_ABOVE = /[\u0300-\u0314\u031a\u0340-\u0344\u0346\u034a-\u034c]/u;
const MARK_BELOW = /[\u0326-\u0328]/u;

/** The share of the em the ink of `text` spans, from its highest to its lowest character. */
export function inkExtent(text: string): number {
  let top = X_HEIGHT;
  let bottom = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    const parts = ch.normalize('NFD');
    const base = parts[0]!;
    const above = MARK_ABOVE.test(parts);
    if (above && /\p{Lu}/u.test(base)) top = Math.max(top, ACCENTED_CAP);
    else if (above || RISES.test(base)) top = Math.max(top, CAP_HEIGHT);
    if (HANGS.test(base) || MARK_BELOW.test(parts)) bottom = Math.max(bottom, DESCENDER);
    else if (base === ',' || base === ';') bottom = Math.max(bottom, COMMA);
  }
  return top + bottom;
}

const fromTextLayer = (words: readonly Word[]): boolean => words.length > 0 && words.every((w) => w.origin === 'text_layer');

/**
 * The font size of a line whose box is `height` px tall, in px of a typical line's box (a line with
 * capitals and descenders keeps its height).
 */
export function fontSizeOf(line: Pick<Line, 'text' | 'words'>, height: number): number {
  if (fromTextLayer(line.words)) return height;
  return (height * TYPICAL) / inkExtent(line.text);
}
