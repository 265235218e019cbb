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
