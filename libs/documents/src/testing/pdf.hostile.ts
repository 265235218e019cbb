import { deflateSync } from 'node:zlib';
import type { PdfPage } from './pdf.writer.ts';

/**
 * Hostile PDFs for tests: small files built to exhaust a reader (time, stack, page count).
 * Each is a real, well-formed-enough PDF that pdfjs opens; what goes wrong goes wrong inside.
 */

/**
 * A page whose content stream is one million `q` (save graphics state) operators and no `Q`:
 * ~2 MB of operators, a few KB once compressed (`writePdf(..., { compress: true })`). pdfjs
 * renders it for minutes while blocking its thread: the page never finishes in practice.
 */
export function renderForeverPage(): PdfPage {
  return { rawContent: 'q '.repeat(1_000_000) };
}

/** A PDF of the given objects (1 is the catalog), with an exact xref table. */
export function rawPdf(objects: readonly string[]): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/**
 * Objects nested `depth` deep. `catalog`: arrays inside the catalog (refused when the document
 * is opened); `resources`: dictionaries inside a page's resources (found only when that page
 * renders: the parser's stack overflows).
 */
export function deeplyNestedPdf(depth: number, where: 'catalog' | 'resources'): Uint8Array {
  const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]';
  if (where === 'catalog') {
    return rawPdf([`<< /Type /Catalog /Pages 2 0 R /Nest ${'['.repeat(depth)}${']'.repeat(depth)} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `${page} >>`]);
  }
  const nested = `${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)}`;
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `${page} /Resources ${nested} >>`]);
}

/** A real page tree of `count` empty pages in one small file (~40 bytes a page). */
export function manyPagesPdf(count: number): Uint8Array {
  const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(' ');
  const pages = Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>');
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, ...pages]);
}

/**
 * A one-page PDF whose Flate-compressed content stream inflates to `inflatedBytes` of path
 * operators (`0 0 m 595 842 l` over and over, then one stroke): under a megabyte on disk, and
 * pdfjs builds an operator list of tens of millions of path points while rendering it — the
 * "730 KB PDF that takes 12 GB".
 */
export function contentBombPdf(inflatedBytes: number): Uint8Array {
  const unit = Buffer.from('0 0 m 595 842 l ', 'latin1');
  const content = Buffer.concat([Buffer.alloc(Math.ceil(inflatedBytes / unit.length) * unit.length, unit), Buffer.from('S\n', 'latin1')]);
  const stream = deflateSync(content, { level: 9 });
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n${stream.toString('latin1')}\nendstream`,
  ]);
}
