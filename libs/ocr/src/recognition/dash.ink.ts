import type { DecodedChar } from './ctc.decode.ts';
import { cellExtent, type InkProfile } from './ink.profile.ts';

const DASH = /^[-‐‑−–—]$/;
/** Digits and capitals that stand on the baseline and reach the cap height (J and Q descend in many faces). */
const CAP_HEIGHT = /^[0-9A-IK-PR-Z]$/;

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

interface Band {
  top: number;
  bottom: number;
}

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

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;

/** Median top and bottom ink rows of the crop's cap-height symbols; undefined without any. */
function capBand(chars: readonly DecodedChar[], ink: InkProfile, stride: number): Band | undefined {
  const extents: Band[] = [];
  chars.forEach((c, i) => {
    const e = CAP_HEIGHT.test(c.text) ? cellExtent(chars, i, ink, stride) : undefined;
    if (e) extents.push(e);
  });
  if (extents.length === 0) return undefined;
  return { top: median(extents.map((e) => e.top)), bottom: median(extents.map((e) => e.bottom)) };
}

/**
 * Columns of the bar under `chars[i]`: from the thin column nearest its timesteps' centre (within
 * its cell, halfway to its neighbours), as far left and right as the ink stays a thin bar at the
 * same height. Undefined when no such column is found.
 */
function barLength(chars: readonly DecodedChar[], i: number, ink: InkProfile, stride: number, band: Band): number | undefined {
  const height = band.bottom - band.top + 1;
  const c = chars[i]!;
  const prev = chars[i - 1];
  const next = chars[i + 1];
  const x0 = Math.max(0, Math.round((prev ? (prev.t1 + 1 + c.t0) / 2 : c.t0 - 1) * stride));
  const x1 = Math.min(ink.top.length, Math.round((next ? (c.t1 + 1 + next.t0) / 2 : c.t1 + 2) * stride));
  const middle = (x: number) => (ink.top[x]! + ink.bottom[x]!) / 2;
  const thin = (x: number) =>
    ink.top[x]! >= 0 && ink.bottom[x]! - ink.top[x]! + 1 <= BAR_THICKNESS * height && middle(x) >= band.top + 0.2 * height && middle(x) <= band.bottom - 0.1 * height;
  const centre = ((c.t0 + c.t1 + 1) / 2) * stride;
  let seed = -1;
  for (let x = x0; x < x1; x++) if (thin(x) && (seed < 0 || Math.abs(x + 0.5 - centre) < Math.abs(seed + 0.5 - centre))) seed = x;
  if (seed < 0) return undefined;
  const level = middle(seed);
  const same = (x: number) => x >= 0 && x < ink.top.length && thin(x) && Math.abs(middle(x) - level) <= 0.1 * height;
  let left = seed;
  let right = seed;
  while (same(left - 1)) left--;
  while (same(right + 1)) right++;
  return right - left + 1;
}
