import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng, openDocument } from '@folio/documents';
import { A4, writePdf, type PdfPage, type PdfText } from '@folio/documents/testing';

/**
 * Benchmark pages generated from code (no third-party documents): a dense A4 text page,
 * a till receipt and a form with boxes and a table, each rendered to a PNG at 300 dpi so
 * both engines read the very same pixels.
 */

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same pages. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were their one all we can her has there been if more when will would who so no market report ' +
  'council annual budget increase section payment agreement services period total amount customer account ' +
  'delivery invoice document number available between following information provided required during'
).split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  if (rand() < 0.3) out.push(String(Math.floor(rand() * 9000) + 100));
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/** ~55 lines of 10-pt prose (`seed` picks the words) filling an A4 page: the common case for office documents. */
export function denseTextPage(seed = 1): PdfPage {
  const rand = prng(seed);
  const texts: PdfText[] = [{ text: 'Quarterly Report of the Finance Committee', x: 60, y: 70, size: 16, font: 'Helvetica-Bold' }];
  let line = '';
  let y = 100;
  while (y < A4.height - 50) {
    while (line.length < 95) line += `${sentence(rand, 6 + Math.floor(rand() * 8))} `;
    const cut = line.lastIndexOf(' ', 95);
    texts.push({ text: line.slice(0, cut), x: 60, y, size: 10, font: 'Times-Roman' });
    line = line.slice(cut + 1);
    y += 13;
  }
  return { texts };
}

/** An 80-mm till receipt in Courier: header, items with prices, totals. */
export function receiptPage(seed = 2): PdfPage {
  const rand = prng(seed);
  const width = 227;
  const texts: PdfText[] = [];
  let y = 30;
  const put = (text: string, size = 8, font: PdfText['font'] = 'Courier'): void => {
    texts.push({ text, x: 12, y, size, font });
    y += size * 1.45;
  };
  put('CORNER MARKET LTD', 11, 'Courier');
  put('12 High Street, Springfield');
  put('Tel 0123 456 789  VAT GB123456789');
  put('Receipt 004512   2024-03-18 14:32');
  put('-'.repeat(40));
  let total = 0;
  for (let i = 0; i < 18; i++) {
    const name = `${WORDS[Math.floor(rand() * WORDS.length)]!.toUpperCase()} ${WORDS[Math.floor(rand() * WORDS.length)]!.toUpperCase()}`.slice(0, 22);
    const qty = 1 + Math.floor(rand() * 3);
    const price = Math.round(rand() * 2000) / 100 + 0.5;
    total += qty * price;
    put(`${name.padEnd(22)} ${qty} x${price.toFixed(2).padStart(6)} ${(qty * price).toFixed(2).padStart(7)}`.slice(0, 40));
  }
  put('-'.repeat(40));
  put(`SUBTOTAL ${total.toFixed(2).padStart(31)}`);
  put(`VAT 20% ${(total / 6).toFixed(2).padStart(32)}`);
  put(`TOTAL ${total.toFixed(2).padStart(34)}`);
  put(`CARD PAYMENT ${total.toFixed(2).padStart(27)}`);
  put('Thank you for shopping with us!');
  return { width, height: y + 30, texts };
}

/** A form: labelled boxes with filled-in values, check boxes and a 5-column table. */
export function formPage(seed = 3): PdfPage {
  const rand = prng(seed);
  const texts: PdfText[] = [{ text: 'APPLICATION FOR REIMBURSEMENT OF EXPENSES', x: 60, y: 70, size: 14, font: 'Helvetica-Bold' }];
  const rects: NonNullable<PdfPage['rects']> = [];
  const fields = ['Full name', 'Employee number', 'Department', 'Cost centre', 'Address', 'Telephone', 'E-mail', 'Manager'];
  fields.forEach((label, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const x = 60 + col * 245;
    const y = 100 + row * 46;
    texts.push({ text: label, x, y, size: 8 });
    rects.push({ x, y: y + 4, width: 230, height: 22 });
    texts.push({ text: `${sentence(rand, 2).replace('.', '')} ${Math.floor(rand() * 900) + 100}`, x: x + 5, y: y + 19, size: 11, font: 'Courier' });
  });
  let y = 300;
  for (const label of ['Travel', 'Accommodation', 'Meals', 'Other']) {
    rects.push({ x: 60, y: y - 9, width: 10, height: 10, fill: rand() < 0.5 });
    texts.push({ text: label, x: 76, y, size: 10 });
    y += 16;
  }
  const cols = [60, 140, 300, 380, 460];
  const heads = ['Date', 'Description', 'Receipt', 'Currency', 'Amount'];
  y = 400;
  heads.forEach((h, i) => texts.push({ text: h, x: cols[i]! + 4, y, size: 10, font: 'Helvetica-Bold' }));
  for (let r = 0; r <= 14; r++) rects.push({ x: 60, y: 386 + r * 22, width: 475, height: 0.5, fill: true });
  for (const x of [...cols, 535]) rects.push({ x, y: 386, width: 0.5, height: 14 * 22, fill: true });
  for (let r = 1; r < 14; r++) {
    const ry = 400 + r * 22;
    const cells = [
      `2024-0${1 + Math.floor(rand() * 9)}-${10 + Math.floor(rand() * 18)}`,
      sentence(rand, 2).replace('.', '').slice(0, 24),
      `R-${Math.floor(rand() * 90000) + 10000}`,
      rand() < 0.5 ? 'EUR' : 'GBP',
      (rand() * 500).toFixed(2),
    ];
    cells.forEach((c, i) => texts.push({ text: c, x: cols[i]! + 4, y: ry, size: 9 }));
  }
  texts.push({ text: 'I confirm that the expenses above were incurred on company business.', x: 60, y: 720, size: 9 });
  texts.push({ text: 'Signature ____________________    Date ____________', x: 60, y: 760, size: 10 });
  return { texts, rects };
}

export interface BenchPage {
  name: string;
  file: string;
}

/** Writes the three pages as 300-dpi PNGs under `dir` and returns their paths. */
export async function writeSyntheticPages(dir: string, dpi = 300): Promise<BenchPage[]> {
  mkdirSync(dir, { recursive: true });
  const pages: Array<[string, PdfPage]> = [
    ['dense-a4', denseTextPage()],
    ['receipt', receiptPage()],
    ['form', formPage()],
  ];
  const out: BenchPage[] = [];
  for (const [name, page] of pages) {
    const doc = await openDocument(writePdf([page]));
    const png = await encodePng(await doc.renderPage(0, { dpi }));
    await doc.close();
    const file = path.join(dir, `${name}.png`);
    writeFileSync(file, png);
    out.push({ name, file });
  }
  return out;
}
