import { describe, expect, it } from 'vitest';
import type { DecodedChar } from './ctc.decode.ts';
import { dashesOfPage, measureDashes } from './dash.ink.ts';
import type { InkProfile } from './ink.profile.ts';

const STRIDE = 8;
/** Cap height of the drawn glyphs: rows 10 to 39 (30 rows). */
const TOP = 10;
const BOTTOM = 39;

/**
 * A crop of `text`, one symbol per 48 columns (its peak on its middle timestep). Letters and digits
 * fill rows 10–39 over 24 columns; a dash is a bar `dashes[k]` columns long (the k-th dash),
 * rows 27–29, centred in its cell; a space leaves its cell blank.
 */
function crop(text: string, dashes: number[], aspect = 1): { chars: DecodedChar[] } {
  const symbols = [...text];
  const chars: DecodedChar[] = symbols.map((ch, i) => ({ text: ch, t0: 6 * i + 3, t1: 6 * i + 3, prob: 0.9, space: ch === ' ', spaceBefore: 0 }));
  const width = 6 * STRIDE * symbols.length;
  const ink: InkProfile = { columns: new Uint8Array(width), top: new Int8Array(width).fill(-1), bottom: new Int8Array(width).fill(-1) };
  const paint = (x0: number, x1: number, top: number, bottom: number) => {
    for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
      ink.top[x] = top;
      ink.bottom[x] = bottom;
    }
  };
  let k = 0;
  symbols.forEach((ch, i) => {
    const mid = 6 * STRIDE * i + 24;
    if (/^[-−–—]$/.test(ch)) {
      const length = dashes[k++]!;
      paint(mid - Math.floor(length / 2), mid + Math.ceil(length / 2), 27, 29);
    } else if (ch !== ' ') paint(mid - 12, mid + 12, TOP, BOTTOM);
  });
  return { chars: measureDashes(chars, ink, STRIDE, aspect) };
}

/** The page's crops as read once their dashes are judged together. */
const page = (...crops: Array<{ chars: DecodedChar[] }>): string[] => dashesOfPage(crops).map((r) => r.chars.map((c) => c.text).join(''));

describe('dashes on ink', () => {
  // Cap height 30 rows: hyphens of typeset faces up to 13 columns, em dashes from 32.
  it('reads the long bars of a page that also has short ones as en dashes, the short ones as hyphens', () => {
    expect(page(crop('FAA-2020-0686', [25, 25]), crop('WELL-KNOWN', [12]), crop('2010−2015', [24]))).toEqual(['FAA–2020–0686', 'WELL-KNOWN', '2010–2015']);
    // Squeezed crops draw the same bar shorter.
    expect(page(crop('A-B', [9], 0.6), crop('C-D', [9]))).toEqual(['A–B', 'C-D']);
  });

  it('reads the long bars of a page whose bars run together, as typewriter hyphens do, as hyphens unless set between spaces', () => {
    expect(page(crop('25-34', [20]), crop('SUB-GROUP', [22]))).toEqual(['25-34', 'SUB-GROUP']);
    expect(page(crop('17-02-18', [13, 15]), crop('CO-REG 7-W', [16, 14]))).toEqual(['17-02-18', 'CO-REG 7-W']);
    expect(page(crop('17-02-18', [20, 20]), crop('CO–REG', [21]))).toEqual(['17-02-18', 'CO-REG']);
    expect(page(crop('17–02–18', [20, 20]), crop('CO–REG', [21]))).toEqual(['17-02-18', 'CO-REG']);
    // A dash set as punctuation keeps its reading: the ink cannot tell, the spacing can.
    expect(page(crop('WAIT – NO', [22]), crop('CO-REG', [21]))).toEqual(['WAIT – NO', 'CO-REG']);
  });

  it('reads a bar longer than any hyphen as an em dash, a shorter one read as an em dash as an en dash (a hyphen joining words where the bars of the page run together) and a short one as a hyphen', () => {
    expect(page(crop('NOTE-TEXT', [38]))).toEqual(['NOTE—TEXT']);
    expect(page(crop('AB–CD', [11]))).toEqual(['AB-CD']);
    expect(page(crop('A — B', [22]), crop('C-D', [22]))).toEqual(['A – B', 'C-D']);
    expect(page(crop('A—B', [22]), crop('C-D', [12]))).toEqual(['A–B', 'C-D']);
  });

  it('leaves possible signs, runs of dashes and crops without a capital or digit as read', () => {
    expect(page(crop('AB-CD', [11]), crop(' -12', [25]))).toEqual(['AB-CD', ' -12']);
    expect(page(crop('AB-CD', [11]), crop('A --- B', [40, 40, 40]))).toEqual(['AB-CD', 'A --- B']);
    expect(page(crop('AB-CD', [11]), crop('ab-cd', [25]))).toEqual(['AB-CD', 'ab-cd']);
  });
});
