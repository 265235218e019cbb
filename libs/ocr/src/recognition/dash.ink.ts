import type { DecodedChar } from './ctc.decode.ts';
import { capBand, cellOf, nearestColumn, type InkBand, type InkProfile } from './ink.profile.ts';

const DASH = /^[-‐‑−–—]$/;

/**
 * Bar length over the cap height of the same line. In the faces of the Latin head's training
 * (DejaVu, Liberation, Noto; regular and bold) the hyphen measures 0.35–0.45, the en dash 0.55–0.84
 * and the em dash 1.23–1.55 (0.84–0.93 in monospace faces, where it reads as an en dash). On the
 * recognizer's crops the cap height gains a row or two of blur that the bar's length shares less
 * (DejaVu Sans' en dash measures 0.50–0.55, its hyphen 0.33–0.37), so the en dash starts at 0.5;
 * just above the hyphen's longest the reading stands.
 */
export const DASH_LENGTH = { hyphenMax: 0.46, enMin: 0.5, emMin: 1.05 } as const;
/** A bar is at most this share of the cap height thick (bold hyphens: 0.21, plus blur). */
const BAR_THICKNESS = 0.35;

/**
 * Dashes by their length on the crop's ink. The recognizer sees a hyphen, an en dash and an em
 * dash as one bar and reads them by habit ("FAA–2020" as "FAA-2020"); how long the bar is drawn
 * against the capitals and digits of its line says which it is, as typesetters chose it. A long bar
 * that may be a sign (at the start of a word, before a digit) and the marks of runs of dashes
 * (rules, "-----") stay as read, and so does every dash of a crop without a capital or digit to
 * measure against. `aspect` is the crop's horizontal scale over its vertical one.
 */
export function dashesOnInk(chars: DecodedChar[], ink: InkProfile, stride: number, aspect = 1): DecodedChar[] {
  // Most crops hold no dash: nothing to measure then.
  if (!chars.some((c) => DASH.test(c.text))) return chars;
  const band = capBand(chars, ink, stride);
  if (!band) return chars;
  return chars.map((c, i) => {
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (!DASH.test(c.text) || (prev && DASH.test(prev.text)) || (next && DASH.test(next.text))) return c;
    const length = barLength(chars, i, ink, stride, band);
    if (length === undefined) return c;
    const ratio = length / aspect / (band.bottom - band.top + 1);
    if (ratio <= DASH_LENGTH.hyphenMax) return c.text === '-' ? c : { ...c, text: '-' };
    if (ratio < DASH_LENGTH.enMin) return c;
    if (ratio >= DASH_LENGTH.emMin) return { ...c, text: '—' };
    const maySign = (!prev || prev.space) && next !== undefined && /^[0-9]$/.test(next.text);
    return maySign ? c : { ...c, text: '–' };
  });
}

/**
 * Columns of the bar under `chars[i]`: from the thin column nearest its timesteps' centre (within
 * its cell, halfway to its neighbours), as far left and right as the ink stays a thin bar at the
 * same height. Undefined when no such column is found.
 */
function barLength(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number, band: InkBand): number | undefined {
  const height = band.bottom - band.top + 1;
  const { x0, x1, centre } = cellOf(chars, i, ink.top.length, stride);
  const middle = (x: number) => (ink.top[x]! + ink.bottom[x]!) / 2;
  const thin = (x: number) =>
    ink.top[x]! >= 0 && ink.bottom[x]! - ink.top[x]! + 1 <= BAR_THICKNESS * height && middle(x) >= band.top + 0.2 * height && middle(x) <= band.bottom - 0.1 * height;
  const seed = nearestColumn(x0, x1, centre, thin);
  if (seed < 0) return undefined;
  const level = middle(seed);
  const same = (x: number) => x >= 0 && x < ink.top.length && thin(x) && Math.abs(middle(x) - level) <= 0.1 * height;
  let left = seed;
  let right = seed;
  while (same(left - 1)) left--;
  while (same(right + 1)) right++;
  return right - left + 1;
}
