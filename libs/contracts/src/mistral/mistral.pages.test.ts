import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePageSelection, parsePageSpec } from './mistral.pages.ts';

describe('parsePageSelection', () => {
  it('selects every page when pages is absent or null', () => {
    expect(parsePageSelection(undefined, 3)).toEqual({ ok: true, pages: [0, 1, 2] });
    expect(parsePageSelection(null, 2)).toEqual({ ok: true, pages: [0, 1] });
  });

  it('takes a single index, a range, a comma list, and a list', () => {
    expect(parsePageSelection(0, 5)).toEqual({ ok: true, pages: [0] });
    expect(parsePageSelection('0-2', 5)).toEqual({ ok: true, pages: [0, 1, 2] });
    expect(parsePageSelection('4, 0,2-3', 5)).toEqual({ ok: true, pages: [0, 2, 3, 4] });
    expect(parsePageSelection(' 3 ', 5)).toEqual({ ok: true, pages: [3] });
    expect(parsePageSelection([0, 3, 4], 5)).toEqual({ ok: true, pages: [0, 3, 4] });
  });

  it('dedupes overlapping entries and sorts', () => {
    expect(parsePageSelection([4, 1, 4, 1], 5)).toEqual({ ok: true, pages: [1, 4] });
    expect(parsePageSelection('1-3,2-4', 5)).toEqual({ ok: true, pages: [1, 2, 3, 4] });
  });

  it('names the valid range when a page is past the end', () => {
    const r = parsePageSelection('0-5', 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('Pages 0-5 out of range: the document has 3 pages (pages 0-2, zero-based).');
    const one = parsePageSelection(1, 1);
    if (!one.ok) expect(one.message).toContain('only page 0');
    expect(one.ok).toBe(false);
  });

  it('refuses negative, fractional, backwards, empty and malformed input with a clear message', () => {
    const cases: Array<[unknown, RegExp]> = [
      [-1, /non-negative integer/],
      [1.5, /non-negative integer/],
      ['3-1', /runs backwards; write it as "1-3"/],
      ['', /not valid/],
      ['1,,2', /not valid/],
      ['a-b', /not valid/],
      ['-1', /not valid/],
      [[], /empty list/],
      [[0, -2], /non-negative integers/],
      [[0, '1'], /non-negative integers/],
      [{ from: 0 }, /must be an integer, a string/],
      [true, /must be an integer, a string/],
    ];
    for (const [input, message] of cases) {
      const r = parsePageSelection(input, 10);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
  });

  it('refuses lists longer than 1000 items', () => {
    const list = Array.from({ length: 1001 }, (_, i) => i);
    const r = parsePageSelection(list, 2000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/cannot exceed 1000 items/);
    expect(parsePageSelection(list.slice(0, 1000), 2000)).toMatchObject({ ok: true });
  });

  it('does not expand a huge range before checking it against the page count', () => {
    expect(parsePageSelection('0-9007199254740990', 10).ok).toBe(false);
  });

  it('agrees with a naive expansion on random comma lists', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(5)), { minLength: 1, maxLength: 10 }), (parts) => {
        const text = parts.map(([a, n]) => (n === 0 ? `${a}` : `${a}-${a + n}`)).join(',');
        const expected = [...new Set(parts.flatMap(([a, n]) => Array.from({ length: n + 1 }, (_, i) => a + i)))].sort((x, y) => x - y);
        expect(parsePageSelection(text, 40)).toEqual({ ok: true, pages: expected });
        expect(parsePageSpec(text).ok).toBe(true);
      }),
    );
  });
});
