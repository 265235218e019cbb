import { describe, expect, it } from 'vitest';
import { accentsOnInk } from './accent.ink.ts';
import type { DecodedChar } from './ctc.decode.ts';
import type { InkProfile } from './ink.profile.ts';

const STRIDE = 8;

/** One symbol per two timesteps (its peak on the first), each glyph 16 columns reaching up to `tops[i]` and down to `bottoms[i]`. */
function read(text: string, tops: number[], bottoms: number[] = tops.map(() => 40)): string {
  const chars: DecodedChar[] = [...text].map((ch, i) => ({ text: ch, t0: 2 * i, t1: 2 * i, prob: 0.9, space: false, spaceBefore: 0 }));
  const width = 2 * STRIDE * chars.length;
  const ink: InkProfile = { columns: new Uint8Array(width).fill(1), top: new Int8Array(width), bottom: new Int8Array(width) };
  for (let x = 0; x < width; x++) {
    const i = Math.floor(x / (2 * STRIDE));
    ink.top[x] = tops[i]!;
    ink.bottom[x] = bottoms[i]!;
  }
  return accentsOnInk(chars, ink, STRIDE)
    .map((c) => c.text)
    .join('');
}

describe('accents on ink', () => {
  it('drops an accent over a capital that reaches no higher than the capitals beside it', () => {
    expect(read('TOTÀL', [8, 8, 8, 8, 8])).toBe('TOTAL');
    expect(read('NÓ', [10, 9])).toBe('NO');
  });

  it('keeps an accent that stands above the cap height', () => {
    expect(read('ÉCOLE', [2, 8, 8, 8, 8])).toBe('ÉCOLE');
    expect(read('TOTÀL', [8, 8, 8, 3, 8])).toBe('TOTÀL');
  });

  it('compares lower-case accents with the x-height letters, and leaves letters with ascenders or dots alone', () => {
    // x-height at row 20; é reaching row 10 is accented, at row 20 it is a plain e.
    expect(read('crème', [20, 20, 10, 20, 20])).toBe('crème');
    expect(read('crème', [20, 20, 20, 20, 20])).toBe('creme');
    // í: its dot reaches as high as an accent would; no evidence either way.
    expect(read('míro', [20, 10, 20, 20])).toBe('míro');
    expect(read('míro', [20, 20, 20, 20])).toBe('míro');
  });

  it('keeps accents it cannot check: no plain letter of the same height, marks below the letter', () => {
    expect(read('À', [8])).toBe('À');
    expect(read('Àb', [8, 2])).toBe('Àb');
    expect(read('ÇAVA', [8, 8, 8, 8])).toBe('ÇAVA');
  });
});
