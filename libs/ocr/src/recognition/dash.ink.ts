import type { DecodedChar } from './ctc.decode.ts';
import { capBand, cellOf, columnRun, nearestColumn, type InkBand, type InkProfile } from './ink.profile.ts';

const DASH = /^[-‐‑−–—]$/;

/**
 * Bar length over the cap height of the same line. In the faces of the Latin head's training
 * (DejaVu, Liberation, Noto; regular and bold) the hyphen measures 0.35–0.45, the en dash 0.55–0.84
 * and the em dash 1.23–1.55 (0.84–0.93 in monospace faces). On the recognizer's crops the cap height
 * gains a row or two of blur that the bar's length shares less (DejaVu Sans' hyphen measures
 * 0.33–0.37, its en dash 0.50–0.55). But typewriter and receipt faces draw the hyphen as long as an
 * en dash (0.4–0.75): a length alone says nothing, the page's other bars say which is which (`dashesOfPage`).
 */
export const DASH_LENGTH = {
  /** No hyphen of a typeset face is longer: a bar read as a dash up to this is a hyphen. */
  hyphenMax: 0.46,
  /** No hyphen, not even a typewriter's, is this long: an em dash. */
  emMin: 1.05,
  /** Shortest of the page's bars that can be en dashes, where the page also has hyphens. */
  enMin: 0.5,
  /** How much longer than the page's hyphens its en dashes must all be (sorted bars split by their widest ratio). */
  split: 1.3,
} as const;
/** A bar is at most this share of the cap height thick (bold hyphens: 0.21, plus blur). */
const BAR_THICKNESS = 0.35;

/**
 * Measures each lone dash of a crop (not the marks of runs like "-----") against the capitals and
 * digits of its line: `bar` on the symbol. Crops without a capital or digit stay unmeasured.
 * `aspect` is the crop's horizontal scale over its vertical one.
 */
export function measureDashes(chars: DecodedChar[], ink: InkProfile, stride: number, aspect = 1): DecodedChar[] {
  // Most crops hold no dash: nothing to measure then.
  if (!chars.some((c) => DASH.test(c.text))) return chars;
  const band = capBand(chars, ink, stride);
  if (!band) return chars;
  return chars.map((c, i) => {
    if (!DASH.test(c.text) || DASH.test(chars[i - 1]?.text ?? '') || DASH.test(chars[i + 1]?.text ?? '')) return c;
    const length = barLength(chars, i, ink, stride, band);
    return length === undefined ? c : { ...c, bar: length / aspect / (band.bottom - band.top + 1) };
  });
}

/**
 * Dashes by their length, page by page. The recognizer sees a hyphen, an en dash and an em dash
 * as one bar and reads them by habit ("FAA–2020" as "FAA-2020"). A bar no hyphen of a typeset face
 * reaches is not a hyphen; one longer than any hyphen is an em dash. En dashes are told from
 * hyphens only where the page shows both: its bars fall into short and long ones, split by a wide
 * ratio, as typesetters draw them; on a page of typewriter or receipt print, whose hyphens are as
 * long as dashes, the bars run together and the reading stands, unless most of them read as
 * hyphens (`mostlyHyphens`). A long bar that may be a sign (at the start of a word, before a digit)
 * otherwise stays as read.
 */
export function dashesOfPage<R extends { chars: DecodedChar[] }>(readings: readonly R[]): R[] {
  const bars = readings.flatMap((r) => r.chars.flatMap((c) => (c.bar === undefined ? [] : [c.bar]))).sort((a, b) => a - b);
  if (bars.length === 0) return [...readings];
  const enFrom = enDashFrom(bars);
  const hyphens = mostlyHyphens(readings, enFrom);
  return readings.map((r) => {
    if (!r.chars.some((c) => c.bar !== undefined)) return r;
    const chars = r.chars.map((c, i) => {
      if (c.bar === undefined) return c;
      const text = dashOf(c.text, c.bar, enFrom, r.chars[i - 1], r.chars[i + 1]) ?? (hyphens && c.bar < enFrom ? '-' : c.text);
      return text === c.text ? c : { ...c, text };
    });
    return { ...r, chars };
  });
}

/**
 * Whether most of the page's bars that length cannot tell apart (longer than any typeset hyphen,
 * shorter than its en dashes and than an em dash) read as hyphens: they are one kind, so then all
 * are hyphens. The Latin head reads some of a receipt's long hyphens as en dashes ("Co–REG").
 */
function mostlyHyphens(readings: readonly { chars: DecodedChar[] }[], enFrom: number): boolean {
  let hyphens = 0;
  let others = 0;
  for (const r of readings)
    for (const c of r.chars) {
      if (c.bar === undefined || c.bar <= DASH_LENGTH.hyphenMax || c.bar >= Math.min(enFrom, DASH_LENGTH.emMin)) continue;
      if (c.text === '-') hyphens++;
      else others++;
    }
  return hyphens > others;
}

/**
 * The shortest bar of the page's en dashes: where its sorted bars split by the widest ratio, if
 * that is wide enough, a hyphen lies below it and no en dash does (the longest bar below may be a
 * hyphen measured a little long: blur, or the stroke of a letter beside it).
 */
function enDashFrom(bars: readonly number[]): number {
  let from = Infinity;
  let widest = DASH_LENGTH.split;
  if (!(bars[0]! <= DASH_LENGTH.hyphenMax)) return from;
  for (let k = 1; k < bars.length; k++) {
    const lo = bars[k - 1]!;
    const hi = bars[k]!;
    if (lo < DASH_LENGTH.enMin && hi >= DASH_LENGTH.enMin && hi / lo >= widest) {
      widest = hi / lo;
      from = hi;
    }
  }
  return from;
}

/** The dash a measured bar is, or undefined to keep the reading. */
function dashOf(read: string, bar: number, enFrom: number, prev: DecodedChar | undefined, next: DecodedChar | undefined): string | undefined {
  if (bar <= DASH_LENGTH.hyphenMax) return '-';
  if (bar >= DASH_LENGTH.emMin) return '—';
  // No em dash of a typeset face is this short: at most an en dash.
  const dash = read === '—' ? '–' : read;
  if (bar < enFrom) {
    if (dash === '–' && enFrom === Infinity && !spaced(prev, next)) return '-';
    return dash === read ? undefined : dash;
  }
  const maySign = (!prev || prev.space) && next !== undefined && /^[0-9]$/.test(next.text);
  return maySign ? undefined : '–';
}

/**
 * Whether a bar stands between spaces (or a line's ends), as a dash set as punctuation does. On a
 * page whose bars do not split into hyphens and en dashes, the ink cannot tell them apart: a bar
 * read as an en dash but joined to a word or number ("Co–REG", "19-04–2018", "(919) 373–6603")
 * is then a hyphen, as in the typewriter and receipt print such pages are set in.
 */
const spaced = (prev: DecodedChar | undefined, next: DecodedChar | undefined) => (!prev || prev.space) && (!next || next.space);

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
  const { left, right } = columnRun(seed, 0, ink.top.length, (x) => thin(x) && Math.abs(middle(x) - level) <= 0.1 * height);
  return right - left + 1;
}
