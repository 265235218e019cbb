import { deflateSync } from 'node:zlib';
import { standardSecurityHandler } from './pdf.encrypt.ts';

/**
 * A tiny PDF writer for tests: standard-14 fonts, text runs and rectangles, exact xref
 * offsets, optional encryption. Output is uncompressed so its text is easy to inspect.
 */

/** The standard fonts every PDF reader carries; no font file is embedded. */
export type PdfFont = 'Helvetica' | 'Helvetica-Bold' | 'Times-Roman' | 'Courier';

export interface PdfText {
  text: string;
  /** Points from the left edge of the page. */
  x: number;
  /** Points from the TOP edge of the page to the text baseline. */
  y: number;
  /** Points. @defaultValue 12 */
  size?: number;
  /** @defaultValue 'Helvetica' */
  font?: PdfFont;
}

export interface PdfRect {
  /** Top-left corner in points from the top-left of the page; size in points. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Filled black when true, else a 1-pt black outline. @defaultValue false */
  fill?: boolean;
}

export interface PdfPage {
  /** Points. @defaultValue 595.28 (A4) */
  width?: number;
  /** Points. @defaultValue 841.89 (A4) */
  height?: number;
  /** The page's /Rotate: how far viewers turn it clockwise. @defaultValue 0 */
  rotate?: 0 | 90 | 180 | 270;
  texts?: PdfText[];
  rects?: PdfRect[];
  /** Content-stream operators appended as they are (hostile pages: operator bombs and the like). */
  rawContent?: string;
}

export interface PdfWriteOptions {
  /** Encrypt with the standard RC4 40-bit handler. `userPassword: ''` opens without a password. */
  encrypt?: { userPassword: string; ownerPassword: string };
  /** FlateDecode the content streams (a 2 MB operator bomb fits in a few KB). @defaultValue false */
  compress?: boolean;
}

export const A4 = { width: 595.28, height: 841.89 } as const;

/** WinAnsiEncoding codes of the non-Latin-1 characters tests are likely to use. */
const WIN_ANSI_EXTRA: Readonly<Record<string, number>> = {
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
};

/** A PDF literal string in WinAnsiEncoding; unencodable characters become '?'. */
function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 63;
    const code = WIN_ANSI_EXTRA[ch] ?? (cp < 256 && (cp < 0x80 || cp >= 0xa0) ? cp : 63);
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 32 && code < 127) out += String.fromCharCode(code);
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function contentStream(page: PdfPage, fontNames: Map<PdfFont, string>): string {
  const height = page.height ?? A4.height;
  const ops: string[] = [];
  for (const r of page.rects ?? []) {
    ops.push(`${num(r.x)} ${num(height - r.y - r.height)} ${num(r.width)} ${num(r.height)} re ${r.fill ? 'f' : 'S'}`);
  }
  for (const t of page.texts ?? []) {
    const font = fontNames.get(t.font ?? 'Helvetica');
    ops.push(`BT /${font} ${num(t.size ?? 12)} Tf ${num(t.x)} ${num(height - t.y)} Td ${pdfString(t.text)} Tj ET`);
  }
  if (page.rawContent !== undefined) ops.push(page.rawContent);
  return ops.join('\n');
}

/** Serialises `pages` as a complete PDF file. */
export function writePdf(pages: PdfPage[], options: PdfWriteOptions = {}): Uint8Array {
  const fonts = [...new Set(pages.flatMap((p) => (p.texts ?? []).map((t) => t.font ?? 'Helvetica')))];
  const fontNames = new Map(fonts.map((f, i) => [f, `F${i + 1}`] as const));
  const security = options.encrypt
    ? standardSecurityHandler(options.encrypt.userPassword, options.encrypt.ownerPassword)
    : undefined;

  // Object numbers: 1 catalog, 2 page tree, then fonts, then (page, content) pairs, then /Encrypt.
  const fontObj = (i: number): number => 3 + i;
  const pageObj = (i: number): number => 3 + fonts.length + 2 * i;
  const encryptObj = 3 + fonts.length + 2 * pages.length;
  const objects: Array<string | Uint8Array>[] = [];
  const put = (n: number, parts: Array<string | Uint8Array>): void => {
    objects[n] = parts;
  };

  put(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  put(2, [`<< /Type /Pages /Kids [${pages.map((_, i) => `${pageObj(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`]);
  fonts.forEach((f, i) =>
    put(fontObj(i), [`<< /Type /Font /Subtype /Type1 /BaseFont /${f} /Encoding /WinAnsiEncoding >>`]),
  );
  const fontDict = fonts.map((f, i) => `/${fontNames.get(f)} ${fontObj(i)} 0 R`).join(' ');
  pages.forEach((page, i) => {
    const n = pageObj(i);
    const box = `[0 0 ${num(page.width ?? A4.width)} ${num(page.height ?? A4.height)}]`;
    put(n, [
      `<< /Type /Page /Parent 2 0 R /MediaBox ${box} /Rotate ${page.rotate ?? 0} ` +
        `/Resources << /Font << ${fontDict} >> >> /Contents ${n + 1} 0 R >>`,
    ]);
    let data: Uint8Array = Buffer.from(contentStream(page, fontNames), 'latin1');
    if (options.compress) data = deflateSync(data, { level: 9 });
    if (security) data = security.encrypt(n + 1, 0, data);
    put(n + 1, [`<< /Length ${data.length}${options.compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`, data, '\nendstream']);
  });
  if (security) put(encryptObj, [security.dictionary]);

  const chunks: Uint8Array[] = [];
  let offset = 0;
  const emit = (part: string | Uint8Array): void => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    chunks.push(bytes);
    offset += bytes.length;
  };
  // The binary comment line tells transfer tools the file is not text.
  emit('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = offset;
    emit(`${n} 0 obj\n`);
    for (const part of objects[n] ?? []) emit(part);
    emit('\nendobj\n');
  }
  const xref = offset;
  const size = objects.length;
  // Each xref entry is exactly 20 bytes including its two-byte end of line.
  emit(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let n = 1; n < size; n++) emit(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  const id = security ? Buffer.from(security.fileId).toString('hex') : undefined;
  emit(
    `trailer\n<< /Size ${size} /Root 1 0 R` +
      (security ? ` /Encrypt ${encryptObj} 0 R /ID [<${id}> <${id}>]` : '') +
      ` >>\nstartxref\n${xref}\n%%EOF\n`,
  );
  // A plain Uint8Array, not a Buffer: pdfjs refuses Buffers.
  return new Uint8Array(Buffer.concat(chunks));
}

export interface TextPdfOptions extends PdfWriteOptions {
  /** Points. @defaultValue 12 */
  fontSize?: number;
  /** Baseline-to-baseline distance in points. @defaultValue 1.5 × fontSize */
  leading?: number;
  /** Points on every side. @defaultValue 72 (one inch) */
  margin?: number;
  font?: PdfFont;
}

/**
 * An A4 PDF with one page per entry of `pages`, each a list of text lines set top-down in
 * Helvetica from the top-left margin. `makeTextPdf([['Hello', 'world'], ['Page two']])`.
 */
export function makeTextPdf(pages: string[][], options: TextPdfOptions = {}): Uint8Array {
  const size = options.fontSize ?? 12;
  const leading = options.leading ?? size * 1.5;
  const margin = options.margin ?? 72;
  return writePdf(
    pages.map((lines) => ({
      texts: lines.map((text, i) => ({ text, x: margin, y: margin + size + i * leading, size, font: options.font })),
    })),
    options,
  );
}
