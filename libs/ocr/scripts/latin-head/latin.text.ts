/**
 * Synthetic European text for training and measuring the Latin recognizer head: words of Debian's
 * word lists (French, German, Dutch, Spanish, Portuguese, Italian, English), amounts, dates and
 * typographic punctuation. Words are split once by a hash into a training part and a held-out
 * part, so the benchmark reads words the head never saw (independently of the seed).
 */
import { existsSync, readFileSync } from 'node:fs';

/** Deterministic pseudo-random numbers (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Debian word lists (packages wfrench, wngerman, wdutch, wspanish, wportuguese, witalian, wamerican). */
export const WORD_LISTS = ['french', 'ngerman', 'dutch', 'spanish', 'portuguese', 'italian', 'american-english'] as const;

/** Letters of Latin Extended-A languages with no Debian list here (Polish, Czech, Hungarian, Romanian, Turkish...). */
const EXTENDED_A = Array.from({ length: 0x180 - 0x100 }, (_, i) => String.fromCodePoint(0x100 + i)).filter((c) => c !== 'ŉ' && c !== 'ſ');
const LATIN1_LETTERS = Array.from({ length: 0x100 - 0xc0 }, (_, i) => String.fromCodePoint(0xc0 + i)).filter((c) => c !== '×' && c !== '÷');

/** The non-ASCII symbols the head is trained to read besides letters. */
export const SYMBOLS = '€£¥¢§°©®™±×÷«»‹›„‚‘’“”–—…•·¿¡ªº¹²³½¼¾µ¶¤¦¨¬¯´¸−'.split('');

/** Every character the generated text may contain. */
export function latinAlphabet(): string[] {
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCodePoint(0x20 + i));
  return [...ascii, ...LATIN1_LETTERS, ...EXTENDED_A, ...SYMBOLS];
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

/** One word in eight (by hash) is held out of training for the benchmark. */
export function isHeldOut(word: string): boolean {
  return fnv(word.toLowerCase()) % 8 === 0;
}

export interface WordPool {
  /** All usable words per list. */
  byList: string[][];
  /** Words with at least one non-ASCII letter, per list. */
  accented: string[][];
}

/** Words of the Debian lists, training part or held-out part. */
export function loadWords(part: 'train' | 'heldout', dir = '/usr/share/dict'): WordPool {
  const alphabet = new Set(latinAlphabet());
  const byList: string[][] = [];
  const accented: string[][] = [];
  for (const name of WORD_LISTS) {
    const file = `${dir}/${name}`;
    if (!existsSync(file)) throw new Error(`${file} missing: apt-get install w${name.replace('american-english', 'american')}`);
    const words = readFileSync(file, 'utf8').split('\n');
    const keep = words.filter((w) => w.length > 0 && w.length <= 18 && [...w].every((c) => alphabet.has(c)) && isHeldOut(w) === (part === 'heldout'));
    byList.push(keep);
    accented.push(keep.filter((w) => /[^\x00-\x7f]/.test(w)));
  }
  return { byList, accented };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function casing(r: () => number, w: string): string {
  const k = r();
  if (k < 0.12) return w.toUpperCase();
  if (k < 0.4) return w[0]!.toUpperCase() + w.slice(1);
  return w;
}

function amount(r: () => number): string {
  const n = Math.floor(r() ** 2 * 100000);
  const cents = String(Math.floor(r() * 100)).padStart(2, '0');
  const euro = r() < 0.6;
  const whole = euro ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, r() < 0.5 ? '.' : ' ') : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const v = euro ? `${whole},${cents}` : `${whole}.${cents}`;
  const cur = euro ? pick(r, ['€', '€', '€', 'EUR', '£', 'CHF']) : pick(r, ['$', '£', '€', '¥']);
  return r() < 0.5 ? `${v} ${cur}` : `${cur}${r() < 0.5 ? ' ' : ''}${v}`;
}

function date(r: () => number): string {
  const d = 1 + Math.floor(r() * 28);
  const m = 1 + Math.floor(r() * 12);
  const y = 1990 + Math.floor(r() * 40);
  const p = (x: number) => String(x).padStart(2, '0');
  return pick(r, [`${p(d)}.${p(m)}.${y}`, `${p(d)}/${p(m)}/${y}`, `${y}-${p(m)}-${p(d)}`, `${d}. ${pick(r, ['März', 'Februar', 'Mai', 'Juli'])} ${y}`, `${d} ${pick(r, ['février', 'août', 'décembre', 'janv.'])} ${y}`]);
}

/** A pseudo-word carrying Latin Extended-A and rarer Latin-1 letters (no word list for them here). */
function pseudoWord(r: () => number, pool: WordPool): string {
  const base = [...pick(r, pick(r, pool.byList))];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) base[Math.floor(r() * base.length)] = pick(r, r() < 0.7 ? EXTENDED_A : LATIN1_LETTERS);
  return base.join('');
}

function quote(r: () => number, s: string): string {
  const [a, b] = pick(r, [['«\u00a0', '\u00a0»'], ['« ', ' »'], ['«', '»'], ['“', '”'], ['„', '“'], ['‘', '’'], ['»', '«'], ['‹', '›'], ['"', '"'], ['(', ')']]);
  return `${a}${s}${b}`.replace(/\u00a0/g, ' ');
}

/**
 * One line of text. `asciiShare` of lines are plain ASCII (the head must not lose what it read).
 */
export function textLine(r: () => number, pool: WordPool, asciiShare = 0.2): string {
  const ascii = r() < asciiShare;
  const list = Math.floor(r() * pool.byList.length);
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = r();
    let w: string;
    if (k < 0.08) w = amount(r);
    else if (k < 0.12) w = date(r);
    else if (k < 0.17) w = `${r() < 0.1 ? '−' : ''}${Math.floor(r() * 1000)}${pick(r, ['', ',5', '.25', ' %', '%', '°', ' °C', '²', ' m²', 'º', 'ª', '½'])}`;
    else if (!ascii && k < 0.25) w = pseudoWord(r, pool);
    else {
      const words = !ascii && r() < 0.6 && pool.accented[list]!.length > 0 ? pool.accented[list]! : pool.byList[list]!;
      w = casing(r, pick(r, words));
    }
    const q = r();
    if (q < 0.06) w = quote(r, w);
    else if (q < 0.14) w += pick(r, [',', '.', ':', ';', '!', '?', '…', ' :', ' ;', ' ?', ' !', '.)']);
    else if (q < 0.16) w = pick(r, ['¿', '¡', '(', '§ ', '• ', '– ', '— ', 'N° ', 'n° ', 'Nº ']) + w;
    parts.push(w);
    if (r() < 0.06) parts.push(pick(r, ['–', '—', '-', '/', '&', '·', '+', '±', '×', '=', '−', '→']));
  }
  let line = parts.join(' ').replace(/→/g, '-');
  if (!ascii && r() < 0.3) line = line.replace(/'/g, '’');
  if (ascii) line = line.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '');
  line = line.replace(/\s+/g, ' ').trim();
  return line.length > 0 ? line : 'Total';
}

const RECEIPT_WORDS = [
  'TOTAL', 'SUBTOTAL', 'SUB TOTAL', 'TAX', 'GST', 'VAT', 'CASH', 'CHANGE', 'ROUNDING', 'QTY', 'PRICE', 'AMOUNT', 'AMT',
  'DISCOUNT', 'INVOICE', 'INV NO', 'RECEIPT', 'DATE', 'TIME', 'TEL', 'FAX', 'NO', 'ITEM', 'DESCRIPTION', 'UNIT', 'PCS',
  'CASHIER', 'TABLE', 'BILL', 'BALANCE', 'PAID', 'DUE', 'VISA', 'MASTERCARD', 'CARD', 'THANK YOU', 'PLEASE COME AGAIN',
  'Co. Reg. No', 'LTD', 'LLC', 'Inc.', 'Corp.', 'GmbH', 'Road', 'Street', 'Ave', 'Suite', 'Page', 'Fax No', 'Ref',
];

/** Amounts as receipts print them: ASCII currency, dot decimals, often no currency at all. */
function receiptAmount(r: () => number): string {
  const n = Math.floor(r() ** 3 * 20000);
  const v = `${r() < 0.2 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n}.${String(Math.floor(r() * 100)).padStart(2, '0')}`;
  const k = r();
  return k < 0.5 ? v : k < 0.7 ? `${pick(r, ['USD', 'EUR', 'GBP', 'CHF', 'CAD'])}${r() < 0.5 ? ' ' : ''}${v}` : k < 0.85 ? `$${v}` : k < 0.93 ? `-${v}` : `${v}${pick(r, [' SR', ' ZR', ' S', ' *', 'T'])}`;
}

function receiptToken(r: () => number, pool: WordPool): string {
  const k = r();
  const d = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  if (k < 0.25) return receiptAmount(r);
  if (k < 0.35) return pick(r, RECEIPT_WORDS);
  if (k < 0.42) return pick(r, [`${d(2)}/${d(2)}/${d(4)}`, `${d(2)}-${d(2)}-${d(4)}`, `${d(2)}:${d(2)}`, `${d(2)}:${d(2)}:${d(2)}`, `${d(2)}.${d(2)}.${d(2)}`]);
  if (k < 0.5) return pick(r, [`${d(3)}-${d(7)}`, `${pick(r, ['#', 'No.', 'NO:', 'INV'])}${d(4 + Math.floor(r() * 6))}`, `${d(1 + Math.floor(r() * 2))}x`, `x${d(1)}`, `@${d(1)}.${d(2)}`, `${d(12)}`, `(${d(6)}-${pick(r, ['A', 'K', 'X', 'T'])})`]);
  // English words: receipts and forms here are mostly English, often in capitals; some
  // hyphenated, so a hyphen inside a word is not read as a dash.
  const english = pool.byList[WORD_LISTS.indexOf('american-english')]!;
  const w = (r() < 0.08 ? `${pick(r, english)}-${pick(r, english)}` : pick(r, english)).replace(/'s$/, '');
  const c = r();
  return c < 0.55 ? w.toUpperCase() : c < 0.8 ? w[0]!.toUpperCase() + w.slice(1) : w;
}

/**
 * A plain-ASCII line as receipts and forms print it (amounts, codes, dates, capitals, leaders,
 * column gaps): the head must read these as the original classifier does.
 */
export function receiptLine(r: () => number, pool: WordPool): string {
  const n = 1 + Math.floor(r() * 5);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = receiptToken(r, pool);
    const q = r();
    if (q < 0.12) t += pick(r, [':', ',', '.', ' :', ';']);
    else if (q < 0.15) t = `(${t})`;
    parts.push(t);
    if (r() < 0.05) parts.push(pick(r, ['-', '/', '&', '+', '=', '*', '#', '%']));
  }
  const k = r();
  if (k < 0.06) return pick(r, ['-', '=', '*', '.', '_']).repeat(8 + Math.floor(r() * 30));
  // Columns: a label and an amount far apart, as the detector often hands over one box.
  let line = k < 0.3 ? `${parts.slice(0, -1).join(' ') || parts[0]}${' '.repeat(2 + Math.floor(r() * 6))}${receiptAmount(r)}` : parts.join(' ');
  line = line.replace(/[^\x20-\x7e]/g, '').replace(/ +$/, '').replace(/^ +/, '');
  return line.length > 0 ? line : 'TOTAL';
}

/** Words with an accented capital somewhere once upper-cased (É, À, Ü, Ç...), per list. */
function capitalWord(r: () => number, pool: WordPool): string {
  const list = pool.accented[Math.floor(r() * pool.accented.length)]!;
  const w = list.length > 0 ? pick(r, list) : pick(r, pool.byList[0]!);
  return r() < 0.6 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1);
}

/**
 * Running text as documents set it: typographic apostrophes and quotes (’ ‘ “ ” „ « »), en dashes
 * in ranges and em dashes between words, bullets, € amounts, section signs, accented capitals and
 * all-capital headings. Mostly lower-case words (as prose is) with few accents, so the head sees
 * these marks in the company they keep in print. Used for training only (`--typo-share`); the
 * benchmark's pages use `textLine`.
 */
export function typographicLine(r: () => number, pool: WordPool): string {
  const list = Math.floor(r() * pool.byList.length);
  const words = pool.byList[list]!;
  const english = pool.byList[WORD_LISTS.indexOf('american-english')]!;
  const word = () => {
    const k = r();
    if (k < 0.12) return capitalWord(r, pool);
    if (k < 0.3 && pool.accented[list]!.length > 0) return pick(r, pool.accented[list]!);
    return pick(r, r() < 0.5 ? english : words);
  };
  const n = 2 + Math.floor(r() * 7);
  const parts: string[] = [];
  if (r() < 0.25) {
    // A heading in capitals, often with accents (ÉCOLE, ÜBER, À).
    const m = 1 + Math.floor(r() * 4);
    for (let i = 0; i < m; i++) parts.push(r() < 0.5 ? capitalWord(r, pool).toUpperCase() : pick(r, words).toUpperCase());
    if (r() < 0.3) parts.push(pick(r, ['À', 'É', 'ÀS', 'ÜBER', 'DÉJÀ', 'ÇA', 'ÉTÉ', 'ÑANDÚ']));
  }
  for (let i = 0; i < n; i++) {
    const k = r();
    let w: string;
    if (k < 0.07) w = amount(r);
    else if (k < 0.12) {
      const a0 = Math.floor(r() * 2000);
      w = `${a0}–${a0 + 1 + Math.floor(r() * 50)}`;
    } else if (k < 0.15) w = `§${r() < 0.5 ? ' ' : ''}${1 + Math.floor(r() * 900)}${r() < 0.3 ? `.${1 + Math.floor(r() * 20)}` : ''}`;
    else if (k < 0.2) w = `${pick(r, english).replace(/'s$/, '')}’${pick(r, ['s', 's', 't', 'll', 're', 've', 'd'])}`;
    else if (k < 0.23) w = `${pick(r, words)}’`;
    else if (k < 0.27) w = `${pick(r, ['l’', 'd’', 'L’', 'D’', 'qu’', 'n’', 's’', 'j’', 'c’'])}${pick(r, words)}`;
    else w = word();
    const q = r();
    if (q < 0.09) w = `${pick(r, ['“', '‘', '„', '« ', '«'])}${w}`;
    else if (q < 0.18) w = `${w}${pick(r, ['”', '’', '“', ' »', '»', '”.', '”,', '’.', '.”', ',”', '’,'])}`;
    else if (q < 0.26) w += pick(r, [',', '.', ';', ':', '…', ')', '.)']);
    parts.push(w);
    if (r() < 0.1) parts.push(pick(r, ['—', '–', '—', '-', '•', '·']));
  }
  let line = parts.join(' ');
  if (r() < 0.15) line = `${pick(r, ['•', '•', '–', '—', '·', '■'])} ${line}`;
  if (r() < 0.1) line = line.replace(/ — /g, '—');
  if (r() < 0.2) line = `“${line}”`;
  if (r() < 0.7) line = line.replace(/'/g, '’');
  line = line.replace(/■/g, '•').replace(/\s+/g, ' ').trim();
  return line.length > 0 ? line : 'Total';
}
