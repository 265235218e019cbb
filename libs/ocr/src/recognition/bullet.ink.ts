import type { DecodedChar } from './ctc.decode.ts';
import { capBand, cellOf, nearestColumn, type InkBand, type InkProfile } from './ink.profile.ts';

/** Round marks at mid-height the recognizer reads as one another. */
const ROUND_MARK = /^[·•∙●]$/;

/**
 * Dot height over the cap height of the same line. In the faces of the Latin head's training
 * (DejaVu, Liberation, Noto; regular and bold) the bullet • measures 0.35–0.49 and the middle dot ·
 * 0.15–0.26; on the recognizer's crops the cap height gains rows of blur (measured on generated
 * lines: bullets 0.34–0.40, middle dots 0.13–0.19), so the bullet starts at 0.32 and the middle dot
 * ends at 0.28. Between, the reading stands.
 */
export const DOT_HEIGHT = { middleMax: 0.28, bulletMin: 0.32 } as const;

/**
 * Bullets and middle dots by their size on the crop's ink. The recognizer reads a list bullet as
 * a middle dot ("· Fax: 202–493–2251"); a dot as tall as a third of the capitals beside it is a
 * bullet, whatever the reading. Marks of crops without a capital or digit to measure against stay.
 */
export function bulletsOnInk(chars: DecodedChar[], ink: InkProfile, stride: number): DecodedChar[] {
  if (!chars.some((c) => ROUND_MARK.test(c.text))) return chars;
  const band = capBand(chars, ink, stride);
  if (!band) return chars;
  return chars.map((c, i) => {
    if (!ROUND_MARK.test(c.text)) return c;
    const dot = dotExtent(chars, i, ink, stride);
    if (!dot) return c;
    const ratio = (dot.bottom - dot.top + 1) / (band.bottom - band.top + 1);
    if (ratio >= DOT_HEIGHT.bulletMin) return c.text === '•' ? c : { ...c, text: '•' };
    return ratio <= DOT_HEIGHT.middleMax && c.text === '•' ? { ...c, text: '·' } : c;
  });
}

/**
 * Rows of the run of inked columns nearest the symbol's timesteps within its cell (halfway to its
 * neighbours): the dot alone, where a cell's edges may catch a neighbour's strokes.
 */
function dotExtent(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number): InkBand | undefined {
  const { x0, x1, centre } = cellOf(chars, i, ink.top.length, stride);
  const seed = nearestColumn(x0, x1, centre, (x) => ink.top[x]! >= 0);
  if (seed < 0) return undefined;
  let left = seed;
  let right = seed;
  while (left > x0 && ink.top[left - 1]! >= 0) left--;
  while (right < x1 - 1 && ink.top[right + 1]! >= 0) right++;
  let top = Infinity;
  let bottom = -1;
  for (let x = left; x <= right; x++) {
    top = Math.min(top, ink.top[x]!);
    bottom = Math.max(bottom, ink.bottom[x]!);
  }
  return { top, bottom };
}
