/**
 * Recall of the non-ASCII characters of a ground truth (accents, €, typographic punctuation):
 * per character, min(count in truth, count in reading), summed over the truth's non-ASCII
 * characters (whitespace aside) and divided by their number. A bag of characters, so reading
 * order and line breaks do not matter; a character read where another one stood still counts,
 * which CER (printed beside it) catches.
 */
export interface CharRecall {
  hit: number;
  total: number;
}

function nonAsciiCounts(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of s.normalize('NFC')) if (ch.codePointAt(0)! > 0x7f && ch.trim() !== '') m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}

export function nonAsciiRecall(truth: string, reading: string): CharRecall {
  const want = nonAsciiCounts(truth);
  const got = nonAsciiCounts(reading);
  let hit = 0;
  let total = 0;
  for (const [ch, n] of want) {
    total += n;
    hit += Math.min(n, got.get(ch) ?? 0);
  }
  return { hit, total };
}

/** Pooled recall (all characters of all units together); NaN when the truth has none. */
export const pooledRecall = (rs: readonly CharRecall[]): number => {
  const total = rs.reduce((a, r) => a + r.total, 0);
  return total === 0 ? Number.NaN : rs.reduce((a, r) => a + r.hit, 0) / total;
};

/** Character error rate: Levenshtein distance over the truth's length, whitespace runs as one space. */
export function charErrorRate(truth: string, reading: string, nocase = false): number {
  const norm = (s: string) => (nocase ? s.toLowerCase() : s).normalize('NFC').replace(/\s+/g, ' ').trim();
  const a = [...norm(truth)];
  const b = [...norm(reading)];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return a.length === 0 ? Number.NaN : prev[b.length]! / a.length;
}
