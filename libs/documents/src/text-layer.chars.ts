/** Character tests shared by the text-layer modules; each runs once per glyph, so ASCII takes a fast path. */

/** Whitespace as `\s` defines it (NBSP and the Unicode spaces included). */
export function isWhitespace(ch: string): boolean {
  const cp = ch.charCodeAt(0);
  return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp > 0x7f && /\s/u.test(ch));
}

/**
 * Latin typographic ligatures (U+FB00–FB06: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) become their letters. Only these:
 * NFKC on whole strings would also rewrite ², ½, ™, full-width forms and the like, which
 * the page prints and the reader expects back.
 */
export function expandLigatures(text: string): string {
  return /[\uFB00-\uFB06]/u.test(text) ? text.replace(/[\uFB00-\uFB06]/gu, (ch) => ch.normalize('NFKC')) : text;
}

/**
 * Spacing accents and the combining marks they stand for. Old typesetters (TeX among them) set
 * an accented letter as the letter plus a separate accent glyph moved over it, and text
 * extraction gives "Age ˆncia" for "Agência".
 */
const SPACING_ACCENTS: Readonly<Record<string, string>> = {
  '\u02C6': '\u0302', // ˆ circumflex
  '\u02DC': '\u0303', // ˜ tilde
  '\u00B8': '\u0327', // ¸ cedilla
  '\u00A8': '\u0308', // ¨ diaeresis
  '\u00B4': '\u0301', // ´ acute
  '\u02CB': '\u0300', // ˋ grave
  '\u02DA': '\u030A', // ˚ ring
  '\u02C7': '\u030C', // ˇ caron
  '\u02D8': '\u0306', // ˘ breve
  '\u02D9': '\u0307', // ˙ dot above
  '\u02DD': '\u030B', // ˝ double acute
  '\u02DB': '\u0328', // ˛ ogonek
  '\u00AF': '\u0304', // ¯ macron
};

export const isSpacingAccent = (ch: string): boolean => SPACING_ACCENTS[ch] !== undefined;

/** `base` with the accent as one precomposed character, or null when Unicode has none (then it was no accent). */
export function compose(base: string, accent: string): string | null {
  const mark = SPACING_ACCENTS[accent];
  if (!mark || !/^\p{L}$/u.test(base)) return null;
  const composed = (base + mark).normalize('NFC');
  return [...composed].length === 1 ? composed : null;
}

/**
 * Puts separately set accents back on their letters: an accent glyph next to a letter (only
 * whitespace between, which extraction inserts for the accent's backward move) becomes part of
 * it when the pair has a precomposed character (e + ˆ → ê, c + ¸ → ç). The letter before wins,
 * as TeX's output places accents after their base. The whitespace in between goes, so the word
 * is whole again. An accent opening the run is left for `buildWords`, which sees the run before.
 */
export function attachSpacingAccents<G extends { text: string }>(glyphs: readonly G[]): G[] {
  const out: G[] = [];
  for (let i = 0; i < glyphs.length; i++) {
    const g = glyphs[i]!;
    if (SPACING_ACCENTS[g.text] === undefined) {
      out.push(g);
      continue;
    }
    // The letter before, across whitespace.
    let k = out.length - 1;
    while (k >= 0 && isWhitespace(out[k]!.text)) k--;
    const before = k >= 0 ? compose(out[k]!.text, g.text) : null;
    if (before) {
      out[k] = { ...out[k]!, text: before };
      out.length = k + 1;
      continue;
    }
    // At the start of a run the letter may end the run before: words across runs decide.
    if (k < 0) {
      out.push(g);
      continue;
    }
    // Else the letter after, across whitespace.
    let j = i + 1;
    while (j < glyphs.length && isWhitespace(glyphs[j]!.text)) j++;
    const after = j < glyphs.length ? compose(glyphs[j]!.text, g.text) : null;
    if (after) {
      out.push({ ...glyphs[j]!, text: after });
      i = j;
      continue;
    }
    out.push(g);
  }
  return out;
}
