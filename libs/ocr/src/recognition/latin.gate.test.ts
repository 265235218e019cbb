import { describe, expect, it } from 'vitest';
import type { Charset } from './charset.ts';
import { asciiBases, gatedCtcDecode, latinGate } from './latin.gate.ts';

// Original classes: blank, e, a, -, space. Head classes: blank, e, é, –, Ж, a, − (minus).
const charset: Charset = { symbols: ['', 'e', 'a', '-', ' '], allowed: Int32Array.from([0, 1, 2, 3, 4]), space: 4 };
const HEAD = ['', 'e', 'é', '–', 'Ж', 'a', '−'];
const gate = latinGate(HEAD, 0.7);

/** One-item outputs: per timestep the winning class and its probability (the rest share what is left). */
function probs(steps: Array<[number, number]>, classes: number): Float32Array {
  const out = new Float32Array(steps.length * classes);
  steps.forEach(([k, p], t) => {
    for (let c = 0; c < classes; c++) out[t * classes + c] = c === k ? p : (1 - p) / (classes - 1);
  });
  return out;
}

const decode = (orig: Array<[number, number]>, head: Array<[number, number]>) =>
  gatedCtcDecode(probs(orig, 5), probs(head, HEAD.length), 0, orig.length, 5, charset, gate)
    .map((c) => c.text)
    .join('');

describe('latin gate', () => {
  it('knows the ASCII base of accented and stroked Latin letters only', () => {
    expect(asciiBases('é')).toEqual(['e']);
    expect(asciiBases('Ä')).toEqual(['a']);
    expect(asciiBases('ł')).toEqual(['l']);
    expect(asciiBases('ß')).toEqual(['b', 's']);
    expect(asciiBases('e')).toEqual([]);
    expect(asciiBases('Ж')).toEqual([]);
    expect(Array.from(gate.kind)).toEqual([0, 0, 1, 2, 0, 0, 3]);
  });

  it('takes a confident accented letter over the run the original read as its base, as one symbol', () => {
    // Original: e e (one run) blank a; head: é only at the second step of the run.
    expect(decode([[1, 0.9], [1, 0.9], [0, 0.9], [2, 0.9]], [[1, 0.5], [2, 0.8], [0, 0.9], [5, 0.9]])).toBe('éa');
  });

  it('keeps the original where the head is unsure or reads another letter', () => {
    expect(decode([[1, 0.9], [0, 0.9]], [[2, 0.6], [0, 0.9]])).toBe('e');
    // é is not a reading of a: the original's a stays.
    expect(decode([[2, 0.9], [0, 0.9]], [[2, 0.95], [0, 0.9]])).toBe('a');
    // A non-Latin letter never overrules, however sure.
    expect(decode([[1, 0.9]], [[4, 0.99]])).toBe('e');
  });

  it('takes typographic punctuation over a blank or ASCII punctuation, never over a letter', () => {
    expect(decode([[1, 0.9], [0, 0.9], [1, 0.9]], [[1, 0.9], [3, 0.9], [1, 0.9]])).toBe('e–e');
    // The original's hyphen run and the blank after it that the head also reads as a dash: one dash.
    expect(decode([[3, 0.9], [0, 0.9]], [[3, 0.9], [3, 0.9]])).toBe('–');
    expect(decode([[1, 0.9]], [[3, 0.99]])).toBe('e');
  });

  it('takes the minus sign over ASCII punctuation only, never over a blank', () => {
    expect(decode([[1, 0.9], [3, 0.9], [1, 0.9]], [[1, 0.9], [6, 0.9], [1, 0.9]])).toBe('e−e');
    expect(decode([[1, 0.9], [0, 0.9], [1, 0.9]], [[1, 0.9], [6, 0.9], [1, 0.9]])).toBe('ee');
  });
});

describe('latin gate over dotted letters', () => {
  // Original classes: blank, i. Head classes: blank, i, í.
  const dotted: Charset = { symbols: ['', 'i'], allowed: Int32Array.from([0, 1]), space: -1 };
  const dottedGate = latinGate(['', 'i', 'í'], 0.7);
  const read = (p: number) =>
    gatedCtcDecode(probs([[1, 0.9]], 2), probs([[2, p]], 3), 0, 1, 2, dotted, dottedGate)
      .map((c) => c.text)
      .join('');

  it('needs the head halfway surer for an accent over i, whose dot reads as one on noisy scans', () => {
    expect(dottedGate.minP[2]).toBeCloseTo(0.85);
    expect(read(0.8)).toBe('i');
    expect(read(0.9)).toBe('í');
  });
});

describe('latin gate over look-alikes', () => {
  // Original classes: blank, C, f. Head classes: blank, C, €, ß.
  const own: Charset = { symbols: ['', 'C', 'f'], allowed: Int32Array.from([0, 1, 2]), space: -1 };
  const symbolGate = latinGate(['', 'C', '€', 'ß'], 0.7);
  const read = (orig: number, head: number, p: number) =>
    gatedCtcDecode(probs([[orig, 0.9]], 3), probs([[head, p]], 4), 0, 1, 3, own, symbolGate)
      .map((c) => c.text)
      .join('');

  it('takes a sure head symbol over what the original reads in its place, only there', () => {
    expect(read(1, 2, 0.9)).toBe('€');
    expect(read(2, 2, 0.9)).toBe('€');
    expect(read(1, 2, 0.6)).toBe('C');
    // ß is no reading of C or f.
    expect(read(1, 3, 0.99)).toBe('C');
  });
});
