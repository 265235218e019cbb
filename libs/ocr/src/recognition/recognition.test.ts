import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCjk, loadCharset, toHalfWidth } from './charset.ts';
import { ctcGreedyDecode } from './ctc.decode.ts';
import { measureGlyphs, splitWords, wordGapThresholds } from './word.split.ts';
import { fixLoneZeros } from './numeric.context.ts';
import { normalizeToken } from './token.normalize.ts';
import type { Line } from '../page.ts';

/** A tiny dictionary: blank, a, b, 中, ，, １, space. */
function charset(latinOnly = true) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocr-dict-'));
  const file = path.join(dir, 'keys.txt');
  writeFileSync(file, 'a\nb\n中\n，\n１\n1\n');
  return loadCharset(file, latinOnly);
}

/** Softmax-like rows: one class per timestep with probability p, rest spread thin. */
function probs(classes: number, seq: Array<[number, number]>): Float32Array {
  const out = new Float32Array(seq.length * classes).fill(0.001);
  seq.forEach(([c, p], t) => (out[t * classes + c] = p));
  return out;
}

describe('charset', () => {
  it('maps full-width forms and CJK punctuation to ASCII', () => {
    expect(toHalfWidth('（１２３）：ＡＢ，。')).toBe('(123):AB,.');
  });

  it('recognises CJK code points', () => {
    expect(isCjk('中')).toBe(true);
    expect(isCjk('あ')).toBe(true);
    expect(isCjk('é')).toBe(false);
    expect(isCjk('€')).toBe(false);
  });

  it('adds the CTC blank and the space, and masks CJK classes', () => {
    const cs = charset();
    expect(cs.symbols).toEqual(['', 'a', 'b', '中', ',', '1', '1', ' ']);
    expect(Array.from(cs.allowed)).toEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(cs.space).toBe(7);
  });
});

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks and keeps timesteps', () => {
    const cs = charset();
    const p = probs(8, [[1, 0.9], [1, 0.8], [0, 0.9], [1, 0.7], [7, 0.9], [2, 0.95]]);
    const out = ctcGreedyDecode(p, 0, 6, 8, cs);
    expect(out.map((c) => c.text).join('')).toBe('aa b');
    expect(out[0]).toMatchObject({ t0: 0, t1: 1 });
    expect(out[0]!.prob).toBeCloseTo(0.9, 5);
    expect(out[2]!.space).toBe(true);
  });

  it('keeps the space probability of the blank timesteps before each symbol', () => {
    const cs = charset();
    // a, blank (space 0.3), blank (space 0.1), b, blank, a: spaces weighed but never emitted.
    const p = probs(8, [[1, 0.9], [0, 0.6], [0, 0.8], [2, 0.9], [0, 0.9], [1, 0.9]]);
    p[1 * 8 + 7] = 0.3;
    p[2 * 8 + 7] = 0.1;
    const out = ctcGreedyDecode(p, 0, 6, 8, cs);
    expect(out.map((c) => c.text).join('')).toBe('aba');
    expect(out[0]!.spaceBefore).toBe(0);
    expect(out[1]!.spaceBefore).toBeCloseTo(0.3, 5);
    expect(out[2]!.spaceBefore).toBeCloseTo(0.001, 5);
  });

  it('never emits a masked class', () => {
    const p = probs(8, [[3, 0.6], [1, 0.9]]);
    expect(ctcGreedyDecode(p, 0, 2, 8, charset(true)).map((c) => c.text)).toEqual(['a']);
    expect(ctcGreedyDecode(p, 0, 2, 8, charset(false)).map((c) => c.text)).toEqual(['中', 'a']);
  });

  it('treats look-alike classes of one symbol as a repeat', () => {
    const p = probs(8, [[5, 0.9], [6, 0.9]]);
    expect(ctcGreedyDecode(p, 0, 2, 8, charset()).map((c) => c.text)).toEqual(['1']);
  });
});

describe('word splitting', () => {
  const char = (text: string, t: number, space = false, spaceBefore = 0) => ({ text, t0: t, t1: t, prob: 0.9, space, spaceBefore });
  /** Ink for glyphs centred on the given columns, `half` px each side. */
  function ink(width: number, centres: number[], half = 6): Uint8Array {
    const out = new Uint8Array(width);
    for (const c of centres) for (let x = c - half; x <= c + half; x++) out[x] = 1;
    return out;
  }
  const settings = { height: 48, gapRatio: 0.2, gapFactor: 2.5, pitchFactor: 0.4, pagePrior: 8 };

  it('breaks words at wide blank runs the model did not mark', () => {
    // Stride 8: glyphs at columns 20, 36, 52 | 100, 116.
    const chars = [char('a', 2), char('b', 4), char('a', 6), char('b', 12), char('a', 14)];
    const g = measureGlyphs(chars, ink(140, [20, 36, 52, 100, 116]), 8, 140);
    const [threshold] = wordGapThresholds([g], settings);
    const words = splitWords(g, threshold!);
    expect(words.map((w) => w.text)).toEqual(['aba', 'ba']);
    expect(words[0]!.x0).toBeLessThanOrEqual(14);
    expect(words[0]!.x1).toBeGreaterThanOrEqual(58);
    expect(words[1]!.x0).toBeGreaterThanOrEqual(58);
  });

  it('keeps letters together and honours spoken spaces', () => {
    const chars = [char('a', 2), char('b', 4), char(' ', 5, true), char('a', 6)];
    const g = measureGlyphs(chars, ink(80, [20, 36, 52], 7), 8, 80);
    expect(splitWords(g, 12).map((w) => w.text)).toEqual(['ab', 'a']);
  });

  it('keeps underscores and at signs inside words unless the model read a space', () => {
    // An underscore leaves the ink profile's middle band blank: a gap as wide as a word break.
    const chars = [char('a', 2), char('_', 8), char('b', 14), char('@', 18), char('c', 20)];
    const g = measureGlyphs(chars, ink(180, [20, 116, 148, 164], 6), 8, 180);
    expect(splitWords(g, 12).map((w) => w.text)).toEqual(['a_b@c']);
    const spoken = [char('a', 2), char(' ', 5, true), char('_', 8), char('b', 14)];
    expect(splitWords(measureGlyphs(spoken, ink(140, [20, 116]), 8, 140), 12).map((w) => w.text)).toEqual(['a', '_b']);
    // Receipts' "2 @ 3" and "T @6" keep their spaces.
    const receipt = [char('2', 2), char('@', 8), char('3', 14), char('T', 20), char('@', 26), char('6', 28)];
    const split = splitWords(measureGlyphs(receipt, ink(240, [20, 68, 116, 164, 212, 228]), 8, 240), 12);
    expect(split.map((w) => w.text)).toEqual(['2', '@', '3', 'T', '@6']);
  });

  it('needs a wider gap after opening and before closing punctuation than between letters', () => {
    // Gaps of 16 px: enough to split two letters at threshold 12, not "(" from "a" or "b" from ")".
    const chars = [char('(', 2), char('a', 6), char('b', 10), char(')', 14), char('c', 18)];
    const g = measureGlyphs(chars, ink(200, [16, 48, 80, 112, 144], 8), 8, 200);
    expect(g.gaps.map((x) => x.length)).toEqual([15, 15, 15, 15]);
    expect(splitWords(g, 12).map((w) => w.text)).toEqual(['(a', 'b)', 'c']);
  });

  it('does not break words at blanks left by letters printed too faintly for the ink profile', () => {
    // "ababa": the second 'b' (column 84) is faded, below the profile's cut; the blanks on both
    // sides of it are wide, yet the model read a letter there.
    const chars = [char('a', 2), char('b', 4), char('a', 6), char('b', 10), char('a', 14)];
    const faded = measureGlyphs(chars, ink(140, [20, 36, 52, 116], 6), 8, 140);
    expect(faded.gaps.map((g) => g.blind)).toEqual([false, false, true, true]);
    expect(splitWords(faded, 12).map((w) => w.text)).toEqual(['ababa']);
    // With the letter inked the same spacing is read as word breaks.
    const inked = measureGlyphs(chars, ink(140, [20, 36, 52, 84, 116], 6), 8, 140);
    expect(inked.gaps.map((g) => g.blind)).toEqual([false, false, false, false]);
    expect(splitWords(inked, 12).map((w) => w.text)).toEqual(['aba', 'b', 'a']);
    // A space the model read still splits next to a faded letter.
    const spoken = measureGlyphs([...chars.slice(0, 3), char(' ', 8, true), ...chars.slice(3)], ink(140, [20, 36, 52, 116], 6), 8, 140);
    expect(splitWords(spoken, 12).map((w) => w.text)).toEqual(['aba', 'ba']);
  });

  it('needs less blank where the model weighed a space it did not emit', () => {
    // Letters at 20, 36, 52 | 74, 90: a 9 px blank against a 12 px threshold.
    const line = (spaceBefore: number) =>
      measureGlyphs([char('a', 2), char('b', 4), char('a', 6), char('b', 9, false, spaceBefore), char('a', 11)], ink(110, [20, 36, 52, 74, 90], 6), 8, 110);
    expect(line(0).gaps[2]!.length).toBe(9);
    expect(splitWords(line(0), 12).map((w) => w.text)).toEqual(['ababa']);
    expect(splitWords(line(0.1), 12).map((w) => w.text)).toEqual(['ababa']);
    // Four times in ten a space: 60% of the threshold, 7.2 px, is enough.
    expect(splitWords(line(0.4), 12).map((w) => w.text)).toEqual(['aba', 'ba']);
    // Without any blank the model's doubt alone does not break a word.
    const touching = measureGlyphs([char('a', 2), char('b', 4, false, 0.45)], ink(60, [20, 36], 9), 8, 60);
    expect(splitWords(touching, 12).map((w) => w.text)).toEqual(['ab']);
    // Before a colon the ink alone decides: 21 px is short of 1.5 × 15 whatever the model weighed.
    const colon = measureGlyphs([char('a', 2), char('b', 4), char(':', 8, false, 0.4)], ink(90, [20, 36, 70], 6), 8, 90);
    expect(colon.gaps[1]!.length).toBe(21);
    expect(splitWords(colon, 15).map((w) => w.text)).toEqual(['ab:']);
  });

  it('leaves faint punctuation out of the blindness test', () => {
    // A colon lighter than the letters around it: its blank still counts as spacing.
    const chars = [char('a', 2), char('b', 4), char(':', 10), char('a', 16)];
    const g = measureGlyphs(chars, ink(150, [20, 36, 132], 6), 8, 150);
    expect(g.gaps.map((x) => x.blind)).toEqual([false, false, false]);
  });

  it('raises the threshold for widely spaced (monospace) lines', () => {
    const spaced = measureGlyphs([char('a', 2), char('b', 6), char('a', 10)], ink(100, [20, 52, 84], 4), 8, 100);
    const [threshold] = wordGapThresholds([spaced], { ...settings, pagePrior: 0 });
    expect(threshold).toBeGreaterThan(spaced.gaps[0]!.length);
  });
});

describe('fixLoneZeros', () => {
  const box = (text: string, x0: number, y0 = 100, h = 20): Line => {
    const quad: Line['quad'] = [[x0, y0], [x0 + 10 * text.length, y0], [x0 + 10 * text.length, y0 + h], [x0, y0 + h]];
    return { text, confidence: 0.9, quad, words: [{ text, confidence: 0.9, quad }] };
  };

  it('reads a lone o between numbers on a row as zero', () => {
    const fixed = fixLoneZeros([box('1,273', 0), box('o', 80), box('648', 120)]);
    expect(fixed.map((l) => l.text)).toEqual(['1,273', '0', '648']);
    expect(fixed[1]!.words[0]!.text).toBe('0');
  });

  it('leaves an o among words, or far from numbers, alone', () => {
    expect(fixLoneZeros([box('Hello', 0), box('o', 70)]).map((l) => l.text)).toEqual(['Hello', 'o']);
    expect(fixLoneZeros([box('12', 0), box('o', 900)]).map((l) => l.text)).toEqual(['12', 'o']);
    expect(fixLoneZeros([box('12', 0, 0), box('o', 40, 200)]).map((l) => l.text)).toEqual(['12', 'o']);
  });
});

describe('normalizeToken', () => {
  it.each([
    ['691o0', '69100'],
    ['2o%', '20%'],
    ['3l', '31'],
    ['1,0O0', '1,000'],
    ['numér0', 'numéro'],
    ['B00K', 'BOOK'],
    ['0ctober', 'october'],
    ['hello', 'hello'],
    ['2024', '2024'],
    ['A1B2', 'A1B2'],
    ['Peta1ing', 'Petaling'],
    ['Mi1k', 'Milk'],
    ['PJU1A', 'PJU1A'],
    ['1st', '1st'],
    ['item1', 'item1'],
    ['Tota1RM14.20', 'Tota1RM14.20'],
    ['COVID-19', 'COVID-19'],
    ['l0', '10'],
    ['ol', 'ol'],
  ])('%s → %s', (input, output) => {
    expect(normalizeToken(input)).toBe(output);
  });
});
