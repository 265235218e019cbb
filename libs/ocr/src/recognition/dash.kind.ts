/**
 * Which dash a dash-shaped mark is. The Latin head reads a long bar as the minus sign about as
 * often as the en dash (to the recognizer they are one bar, told apart only by height on the math
 * axis), and also a wide hyphen. What the mark is follows from where it stands, as typesetters
 * choose: alone between words it is a dash ("Paris – Lyon"), between two numbers a range
 * ("2010–2015"), before a number at the start of a word a sign, typed as a hyphen-minus in nearly
 * every document ("-0.01"), and joining letters it is a hyphen ("519537-X", "well-known").
 */
const DIGIT = /[0-9]/;

/** One word's minus signs (U+2212) read by their place: en dash, or ASCII hyphen-minus. */
export function dashKind(word: string): string {
  if (!word.includes('−')) return word;
  const chars = Array.from(word);
  if (chars.every((c) => c === '−')) return '–'.repeat(chars.length);
  return chars
    .map((c, i) => {
      if (c !== '−') return c;
      const before = chars[i - 1] ?? '';
      const after = chars[i + 1] ?? '';
      return DIGIT.test(before) && DIGIT.test(after) ? '–' : '-';
    })
    .join('');
}
