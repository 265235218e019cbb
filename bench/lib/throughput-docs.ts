import { writePdf, type PdfPage } from '@folio/documents/testing';
import { denseTextPage, formPage, receiptPage } from './synthetic-pages.ts';

/**
 * The throughput benchmark's documents: reports of dense A4 prose (5 pages), two-page forms and
 * single-page till receipts, built from 12 distinct pages (4 of each kind) so the engine-alone run
 * can hold every distinct page in memory and read exactly the pages the pipeline reads.
 * Quick: 24 pages in 12 documents; full: 200 pages in 100 documents; 40% dense, 36% forms, 24% receipts.
 */
export interface BenchDocument {
  name: string;
  pdf: Uint8Array;
  /** Key of each page in `distinctPages`, in page order. */
  pages: string[];
}

const SEEDS = [0, 1, 2, 3];

/** The 12 distinct pages by key (`dense-0`, `form-2`, `receipt-3`, …). */
export function distinctPages(): Map<string, PdfPage> {
  const out = new Map<string, PdfPage>();
  for (const s of SEEDS) {
    out.set(`dense-${s}`, denseTextPage(11 + s));
    out.set(`form-${s}`, formPage(21 + s));
    out.set(`receipt-${s}`, receiptPage(31 + s));
  }
  return out;
}

/** Documents in submission order, kinds interleaved. */
export function benchDocuments(quick: boolean): BenchDocument[] {
  const pages = distinctPages();
  const [reports, forms, receipts] = quick ? [2, 4, 6] : [16, 36, 48];
  const make = (name: string, keys: string[]): BenchDocument => ({ name, pages: keys, pdf: writePdf(keys.map((k) => pages.get(k)!)) });
  const queue: BenchDocument[][] = [
    Array.from({ length: reports }, (_, i) => make(`report-${i}`, [0, 1, 2, 3, 4].map((k) => `dense-${(i + k) % 4}`))),
    Array.from({ length: forms }, (_, i) => make(`form-${i}`, [`form-${i % 4}`, `form-${(i + 1) % 4}`])),
    Array.from({ length: receipts }, (_, i) => make(`receipt-${i}`, [`receipt-${i % 4}`])),
  ];
  const out: BenchDocument[] = [];
  for (let i = 0; queue.some((q) => i < q.length); i++) for (const q of queue) if (i < q.length) out.push(q[i]!);
  return out;
}
