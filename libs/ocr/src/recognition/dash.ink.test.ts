import { describe, expect, it } from 'vitest';
import type { DecodedChar } from './ctc.decode.ts';
import { dashesOnInk } from './dash.ink.ts';
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
function read(text: string, dashes: number[], aspect = 1): string {
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
  return dashesOnInk(chars, ink, STRIDE, aspect)
    .map((c) => c.text)
    .join('');
}

describe('dashes on ink', () => {
  it('reads a bar as long as three quarters of the cap height as an en dash, a short one as a hyphen', () => {
    // Cap height 30 rows: hyphens up to 13 columns, en dashes from 15, em dashes from 32.
    expect(read('FAA-2020-0686', [20, 20])).toBe('FAA–2020–0686');
    expect(read('2010−2015', [18])).toBe('2010–2015');
    expect(read('AB–CD', [11])).toBe('AB-CD');
    expect(read('AB-CD', [11])).toBe('AB-CD');
    expect(read('A—B', [22])).toBe('A–B');
    expect(read('NOTE-TEXT', [38])).toBe('NOTE—TEXT');
  });

  it('keeps the reading where the length is between a hyphen and an en dash, or nothing measures it', () => {
    expect(read('AB-CD', [14])).toBe('AB-CD');
    expect(read('AB–CD', [14])).toBe('AB–CD');
    // No capital or digit to measure against.
    expect(read('ab-cd', [20])).toBe('ab-cd');
  });

  it('leaves a possible sign and runs of dashes as read', () => {
    expect(read(' -12', [20])).toBe(' -12');
    expect(read('A --- B', [40, 40, 40])).toBe('A --- B');
  });

  it('measures along the crop as it was scaled: a squeezed crop draws the same bar shorter', () => {
    expect(read('A-B', [9], 0.6)).toBe('A–B');
    expect(read('A-B', [9], 1)).toBe('A-B');
  });
});
