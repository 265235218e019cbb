import type { DecodedChar } from './ctc.decode.ts';
import { capBand, cellOf, columnRun, inkRows, nearestColumn, type InkBand, type InkProfile } from './ink.profile.ts';

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
 * bullet, whatever the reading, and two marks read on one dot are one. Marks of crops without a
 * capital or digit to measure against stay.
 */
export function bulletsOnInk(chars: DecodedChar[], ink: InkProfile, stride: number): DecodedChar[] {
  if (!chars.some((c) => ROUND_MARK.test(c.text))) return chars;
  const band = capBand(chars, ink, stride);
  if (!band) return chars;
  const out: DecodedChar[] = [];
  let lastDot: Dot | undefined;
  chars.forEach((c, i) => {
    const dot = ROUND_MARK.test(c.text) ? dotAt(chars, i, ink, stride) : undefined;
    // Two marks read on one dot are one mark.
    if (dot && lastDot && dot.start === lastDot.start && ROUND_MARK.test(out[out.length - 1]?.text ?? '')) return;
    lastDot = dot;
    if (!dot) {
      out.push(c);
      return;
    }
    const ratio = (dot.bottom - dot.top + 1) / (band.bottom - band.top + 1);
    const text = ratio >= DOT_HEIGHT.bulletMin ? '•' : ratio <= DOT_HEIGHT.middleMax && c.text === '•' ? '·' : c.text;
    out.push(text === c.text ? c : { ...c, text });
  });
  return out;
}

interface Dot extends InkBand {
  /** First column of the whole run of inked columns the dot lies in (cells aside): the same for two readings of one dot. */
  start: number;
}

/**
 * Rows of the run of inked columns nearest the symbol's timesteps within its cell (halfway to its
 * neighbours): the dot alone, where a cell's edges may catch a neighbour's strokes.
 */
function dotAt(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number): Dot | undefined {
  const { x0, x1, centre } = cellOf(chars, i, ink.top.length, stride);
  const inked = (x: number) => ink.top[x]! >= 0;
  const seed = nearestColumn(x0, x1, centre, inked);
  if (seed < 0) return undefined;
  const { left, right } = columnRun(seed, x0, x1, inked);
  const rows = inkRows(ink, left, right + 1)!;
  return { ...rows, start: columnRun(left, 0, ink.top.length, inked).left };
}
