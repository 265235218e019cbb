const LETTER = /\p{L}/u;
const DIGIT = /[0-9]/;
const TO_DIGIT: Record<string, string> = { o: '0', O: '0', l: '1', I: '1' };
const LOWER = /\p{Ll}/u;

/**
 * Whether the symbol at `i` sits between two letters, one of them lower case: a 1 there is an l
 * read as its look-alike ("Ja1an", "Mi1k", "Tab1e"); codes set in capitals ("PJU1A") keep it.
 */
function betweenLower(chars: readonly string[], i: number): boolean {
  const [before, after] = [chars[i - 1] ?? '', chars[i + 1] ?? ''];
  return LETTER.test(before) && LETTER.test(after) && (LOWER.test(before) || LOWER.test(after));
}

/**
 * Settles the recognizer's letter/digit look-alikes by the rest of the word: in a number, o/O are
 * zeros and l/I ones ("691o0" → "69100", "3l" → "31"); in a word whose only digits are zeros, those
 * are the letter o ("numér0" → "numéro"); in a word whose only digits are ones, a one between
 * letters, one of them lower case, is the letter l ("Peta1ing" → "Petaling"). Words mixing other
 * letters and digits (codes, ids) are left alone.
 */
export function normalizeToken(text: string): string {
  const chars = Array.from(text);
  const letters = chars.filter((c) => LETTER.test(c));
  const digits = chars.filter((c) => DIGIT.test(c));
  if (digits.length === 0 || letters.length === 0) return text;
  if (letters.every((c) => c === 'o' || c === 'O') || (letters.every((c) => c in TO_DIGIT) && digits.length >= letters.length)) {
    return chars.map((c) => (letters.every((l) => l === 'o' || l === 'O') ? (c === 'o' || c === 'O' ? '0' : c) : (TO_DIGIT[c] ?? c))).join('');
  }
  if (letters.length >= 2 && digits.every((c) => c === '0')) {
    const upper = letters.filter((c) => c === c.toUpperCase() && c !== c.toLowerCase()).length * 2 > letters.length;
    return chars.map((c) => (c === '0' ? (upper ? 'O' : 'o') : c)).join('');
  }
  if (letters.length >= 2 && digits.every((c) => c === '1')) return chars.map((c, i) => (c === '1' && betweenLower(chars, i) ? 'l' : c)).join('');
  return text;
}
