import { describe, expect, it } from 'vitest';
import { bulletsOnInk } from './bullet.ink.ts';
import type { DecodedChar } from './ctc.decode.ts';
import type { InkProfile } from './ink.profile.ts';

const STRIDE = 8;

/**
 * A crop of `text`, one symbol per 48 columns (its peak on its middle timestep). Letters and digits
 * fill rows 10–39 (cap height 30) over 24 columns; a round mark is a square dot `dots[k]` rows and
 * columns large (the k-th mark), centred on row 25 of its cell.
 */
function read(text: string, dots: number[]): string {
  const symbols = [...text];
  const chars: DecodedChar[] = symbols.map((ch, i) => ({ text: ch, t0: 6 * i + 3, t1: 6 * i + 3, prob: 0.9, space: ch === ' ', spaceBefore: 0 }));
  const width = 6 * STRIDE * symbols.length;
  const ink: InkProfile = { columns: new Uint8Array(width), top: new Int8Array(width).fill(-1), bottom: new Int8Array(width).fill(-1) };
  const paint = (x0: number, x1: number, top: number, bottom: number) => {
    for (let x = x0; x < x1; x++) {
      ink.top[x] = top;
      ink.bottom[x] = bottom;
    }
  };
  let k = 0;
  symbols.forEach((ch, i) => {
    const mid = 6 * STRIDE * i + 24;
    if (/^[·•]$/.test(ch)) {
      const size = dots[k++]!;
      paint(mid - (size >> 1), mid - (size >> 1) + size, 25 - (size >> 1), 25 - (size >> 1) + size - 1);
    } else if (ch !== ' ') paint(mid - 12, mid + 12, 10, 39);
  });
  return bulletsOnInk(chars, ink, STRIDE)
    .map((c) => c.text)
    .join('');
}

describe('bullets on ink', () => {
  it('reads a dot a third of the cap height tall as a bullet, a small one as a middle dot', () => {
    expect(read('· FAX', [12])).toBe('• FAX');
    expect(read('• FAX', [12])).toBe('• FAX');
    expect(read('A · B', [5])).toBe('A · B');
    expect(read('A • B', [5])).toBe('A · B');
  });

  it('reads two marks on one dot as one bullet', () => {
    // One dot (columns 26–37, rows 20–31) read on timesteps 3 and 4, then "FX" in cells of 48 columns.
    const width = 160;
    const ink: InkProfile = { columns: new Uint8Array(width), top: new Int8Array(width).fill(-1), bottom: new Int8Array(width).fill(-1) };
    for (let x = 26; x < 38; x++) [ink.top[x], ink.bottom[x]] = [20, 31];
    for (const mid of [88, 136]) for (let x = mid - 12; x < mid + 12; x++) [ink.top[x], ink.bottom[x]] = [10, 39];
    const at = (text: string, t: number): DecodedChar => ({ text, t0: t, t1: t, prob: 0.9, space: false, spaceBefore: 0 });
    const chars = [at('·', 3), at('•', 4), at('F', 11), at('X', 17)];
    expect(bulletsOnInk(chars, ink, STRIDE).map((c) => c.text).join('')).toBe('•FX');
  });

  it('keeps the reading between the two sizes, or without a capital or digit to measure against', () => {
    expect(read('· FAX', [9])).toBe('· FAX');
    expect(read('• FAX', [9])).toBe('• FAX');
    expect(read('· fax', [12])).toBe('· fax');
  });
});
