import { describe, expect, it } from 'vitest';
import { attachSpacingAccents, compose, expandLigatures, isWhitespace } from './text-layer.chars.ts';

const glyphs = (text: string) => [...text].map((ch) => ({ text: ch }));
const joined = (text: string): string => attachSpacingAccents(glyphs(text)).map((g) => g.text).join('');

describe('character helpers', () => {
  it('knows whitespace, ASCII and Unicode', () => {
    expect([' ', '\t', '\u00A0', '\u2009'].every(isWhitespace)).toBe(true);
    expect(['a', '€', '\u200B'].some(isWhitespace)).toBe(false);
  });

  it('expands ligatures only', () => {
    expect(expandLigatures('ﬁx ½')).toBe('fix ½');
  });

  it('composes an accent with a letter only where Unicode has the accented letter', () => {
    expect([compose('e', 'ˆ'), compose('c', '¸'), compose('a', '˜'), compose('x', '˜'), compose('1', 'ˆ'), compose('e', 'x')]).toEqual(['ê', 'ç', 'ã', null, null, null]);
  });

  it('puts accents set apart back on the letter before, across extraction spaces', () => {
    expect(joined('Age ˆncia')).toBe('Agência');
    expect(joined('Aviac ¸a ˜o')).toBe('Aviação');
    expect(joined('x ˜ 5')).toBe('x ˜ 5');
    // At the start of a run the letter before may be in the previous run: left for buildWords.
    expect(joined('˜o')).toBe('˜o');
    expect(joined('1 ˆe')).toBe('1 ê');
  });
});
