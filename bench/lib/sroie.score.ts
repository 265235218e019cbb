/**
 * SROIE scoring as the team scores it: company and address equal after keeping upper-case letters
 * and digits, date equal digits, total equal amounts; micro P/R/F1 over (receipt, field) pairs.
 * Shared by the API bench and the offline bench so both count the same way.
 */
export const FIELDS = ['company', 'date', 'address', 'total'] as const;
export type Field = (typeof FIELDS)[number];
export type Fields = Partial<Record<Field, string>>;

export const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
export const amount = (s: string) => {
  const m = /(\d[\d,]*(?:\.\d+)?)/.exec(s.replace(/\s/g, ''));
  return m?.[1] ? Number(m[1].replace(/,/g, '')) : Number.NaN;
};
export function same(field: Field, predicted: string, truth: string): boolean {
  if (field === 'date') return predicted.replace(/\D/g, '') !== '' && predicted.replace(/\D/g, '') === truth.replace(/\D/g, '');
  if (field === 'total') return amount(predicted) === amount(truth);
  return alnum(predicted) !== '' && alnum(predicted) === alnum(truth);
}

/** The floor: what keywords and regular expressions find in a receipt's lines. */
export function keywordExtractor(lines: string[]): Fields {
  const out: Fields = {};
  const date = lines.join('\n').match(/\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4})\b/);
  if (date?.[1]) out.date = date[1];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] ?? '';
    if (/TOTAL/i.test(l) && !/SUB\s*-?\s*TOTAL|QTY/i.test(l)) {
      const m = /(\d[\d,]*\.\d{2})/.exec(l) ?? /(\d[\d,]*\.\d{2})/.exec(lines[i + 1] ?? '');
      if (m?.[1]) {
        out.total = m[1];
        break;
      }
    }
  }
  const first = lines.findIndex((l) => /[A-Za-z]{3}/.test(l));
  if (first >= 0) out.company = lines[first];
  const address: string[] = [];
  for (let i = first + 1; i < lines.length && address.length < 5; i++) {
    const l = lines[i] ?? '';
    if (/TEL|FAX|GST|REG|INVOICE|RECEIPT|DATE/i.test(l)) break;
    if (/\(\d+-?[A-Z]\)|SDN|BHD/i.test(l) && address.length === 0) continue;
    address.push(l);
  }
  if (address.length) out.address = address.join(' ');
  return out;
}

export interface Score {
  tp: Record<Field, number>;
  predicted: Record<Field, number>;
  truth: Record<Field, number>;
}
export const emptyScore = (): Score => ({ tp: { company: 0, date: 0, address: 0, total: 0 }, predicted: { company: 0, date: 0, address: 0, total: 0 }, truth: { company: 0, date: 0, address: 0, total: 0 } });
export function addScore(score: Score, predicted: Fields, truth: Fields): void {
  for (const f of FIELDS) {
    const t = truth[f] ?? '';
    const p = predicted[f];
    if (t) score.truth[f]++;
    if (p) score.predicted[f]++;
    if (p && t && same(f, p, t)) score.tp[f]++;
  }
}
export const prf = (tp: number, p: number, t: number) => {
  const precision = p ? tp / p : 0;
  const recall = t ? tp / t : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
};
export function microF1(score: Score): number {
  const sum = (r: Record<Field, number>) => FIELDS.reduce((a, f) => a + r[f], 0);
  return prf(sum(score.tp), sum(score.predicted), sum(score.truth)).f1;
}
export function scoreTable(title: string, score: Score): string {
  const rows = FIELDS.map((f) => ({ f, ...prf(score.tp[f], score.predicted[f], score.truth[f]) }));
  const sum = (r: Record<Field, number>) => FIELDS.reduce((a, f) => a + r[f], 0);
  const micro = prf(sum(score.tp), sum(score.predicted), sum(score.truth));
  const fmt = (x: number) => x.toFixed(3);
  return [
    `| ${title} | P | R | F1 |`,
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.f} | ${fmt(r.precision)} | ${fmt(r.recall)} | ${fmt(r.f1)} |`),
    `| **micro** | ${fmt(micro.precision)} | ${fmt(micro.recall)} | **${fmt(micro.f1)}** |`,
  ].join('\n');
}

/** A seeded shuffle (the bench's splits: seed 1000 + split). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
