import { deflateSync } from 'node:zlib';
import type { Raster } from '../document.types.ts';
import { standardSecurityHandler } from './pdf.encrypt.ts';

/**
 * A tiny PDF writer for tests: standard-14 fonts, text runs and rectangles, exact xref
 * offsets, optional encryption. Output is uncompressed so its text is easy to inspect.
 */

/** The standard fonts every PDF reader carries; no font file is embedded. */
export type PdfFont = 'Helvetica' | 'Helvetica-Bold' | 'Times-Roman' | 'Courier';

/**
 * A deliberately broken /ToUnicode map added to a font (what bad generators write): every
 * printable code maps to the private-use area (U+E000 + code), or to C0 control characters.
 */
export type PdfBrokenToUnicode = 'private-use' | 'control';

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
  /** Gives the font a broken /ToUnicode map (the glyphs still render). */
  brokenToUnicode?: PdfBrokenToUnicode;
  /** Text render mode (`Tr`): 0 fill, 3 invisible (OCR'd scans), 7 clip only. @defaultValue 0 */
  render?: number;
  /** Degrees counter-clockwise about the run's origin (a rotated run, set with `Tm`). @defaultValue 0 */
  angle?: number;
}

/** A bitmap painted on the page (the page's `Do` of an image XObject, or an inline image). */
export interface PdfImage {
  /** Top-left corner in points from the top-left of the page; size in points. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The pixels, stored as 8-bit DeviceGray (colour averaged). */
  raster: Raster;
  /** Written inline (`BI … ID … EI`, ASCIIHex) rather than as an XObject. @defaultValue false */
  inline?: boolean;
}

/** A filled-in text form field (an AcroForm widget): its value is shown by the viewer, not in the page's content. */
export interface PdfField {
  /** Top-left corner in points from the top-left of the page; size in points. */
  x: number;
  y: number;
  width: number;
  height: number;
  value: string;
}

/** What a page paints, in this order unless `PdfPage.order` says otherwise. */
export type PdfLayer = 'rects' | 'images' | 'texts' | 'raw';

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
  images?: PdfImage[];
  /** Filled-in text fields (widget annotations with /NeedAppearances, so viewers draw the values). */
  fields?: PdfField[];
  /** Paint order; text painted before an image lies under it. @defaultValue ['rects', 'images', 'texts', 'raw'] */
  order?: PdfLayer[];
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
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, 'ˆ': 0x88, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98,
};

/**
 * Ligatures, given codes 1–5 (unused by WinAnsiEncoding) through the fonts' /Differences: real
 * documents set them from their fonts' ligature glyphs, and pdfjs maps glyph names to U+FB00….
 */
const LIGATURES: ReadonlyArray<[string, string]> = [['ﬁ', 'fi'], ['ﬂ', 'fl'], ['ﬀ', 'ff'], ['ﬃ', 'ffi'], ['ﬄ', 'ffl']];
const LIGATURE_CODES: Readonly<Record<string, number>> = Object.fromEntries(LIGATURES.map(([ch], i) => [ch, i + 1]));
const FONT_ENCODING = `<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 ${LIGATURES.map(([, name]) => `/${name}`).join(' ')}] >>`;

/** A PDF literal string in WinAnsiEncoding (plus the ligatures above); unencodable characters become '?'. */
function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 63;
    const code = WIN_ANSI_EXTRA[ch] ?? LIGATURE_CODES[ch] ?? (cp < 256 && (cp < 0x80 || cp >= 0xa0) ? cp : 63);
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 32 && code < 127) out += String.fromCharCode(code);
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Key of a font resource: a standard font, possibly with a broken /ToUnicode. */
const fontKey = (t: PdfText): string => `${t.font ?? 'Helvetica'}${t.brokenToUnicode ? `+${t.brokenToUnicode}` : ''}`;

/** The page's images as DeviceGray samples. */
function graySamples(raster: Raster): Uint8Array {
  const { data, width, height, channels } = raster;
  if (channels === 1) return data;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const o = i * channels;
    out[i] = Math.round((data[o]! + data[o + 1]! + data[o + 2]!) / 3);
  }
  return out;
}

function contentStream(page: PdfPage, fontNames: Map<string, string>, imageNames: Map<PdfImage, string>): string {
  const height = page.height ?? A4.height;
  const layers: Record<PdfLayer, string[]> = { rects: [], images: [], texts: [], raw: [] };
  for (const r of page.rects ?? []) {
    layers.rects.push(`${num(r.x)} ${num(height - r.y - r.height)} ${num(r.width)} ${num(r.height)} re ${r.fill ? 'f' : 'S'}`);
  }
  for (const im of page.images ?? []) {
    const place = `q ${num(im.width)} 0 0 ${num(im.height)} ${num(im.x)} ${num(height - im.y - im.height)} cm`;
    const name = imageNames.get(im);
    if (name) {
      layers.images.push(`${place} /${name} Do Q`);
    } else {
      const hex = Buffer.from(graySamples(im.raster)).toString('hex');
      layers.images.push(`${place} BI /W ${im.raster.width} /H ${im.raster.height} /CS /G /BPC 8 /F /AHx ID\n${hex}>\nEI Q`);
    }
  }
  for (const t of page.texts ?? []) {
    const font = fontNames.get(fontKey(t));
    const rad = ((t.angle ?? 0) * Math.PI) / 180;
    const [c, s] = [Math.cos(rad), Math.sin(rad)].map((v) => Number(v.toFixed(6))) as [number, number];
    const place = `${c} ${s} ${-s} ${c} ${num(t.x)} ${num(height - t.y)} Tm`;
    layers.texts.push(`BT /${font} ${num(t.size ?? 12)} Tf ${t.render ?? 0} Tr ${place} ${pdfString(t.text)} Tj ET`);
  }
  if (page.rawContent !== undefined) layers.raw.push(page.rawContent);
  return (page.order ?? ['rects', 'images', 'texts', 'raw']).flatMap((layer) => layers[layer]).join('\n');
}

/** A /ToUnicode CMap sending every printable code (0x21–0x7E) somewhere useless. */
function brokenToUnicodeCMap(kind: PdfBrokenToUnicode): string {
  const entries: string[] = [];
  for (let code = 0x21; code <= 0x7e; code++) {
    const target = kind === 'private-use' ? 0xe000 + code : 1 + (code % 31);
    entries.push(`<${code.toString(16).padStart(2, '0')}> <${target.toString(16).padStart(4, '0')}>`);
  }
  const blocks: string[] = [];
  // A bfchar block holds at most 100 entries.
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    blocks.push(`${part.length} beginbfchar\n${part.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Folio-Broken def /CMapType 2 def',
    '1 begincodespacerange <00> <FF> endcodespacerange',
    ...blocks,
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

/** Serialises `pages` as a complete PDF file. */
export function writePdf(pages: PdfPage[], options: PdfWriteOptions = {}): Uint8Array {
  const fontTexts = new Map<string, PdfText>();
  for (const t of pages.flatMap((p) => p.texts ?? [])) if (!fontTexts.has(fontKey(t))) fontTexts.set(fontKey(t), t);
  const fontNames = new Map([...fontTexts.keys()].map((k, i) => [k, `F${i + 1}`] as const));
  const security = options.encrypt
    ? standardSecurityHandler(options.encrypt.userPassword, options.encrypt.ownerPassword)
    : undefined;

  // Object numbers: 1 catalog, 2 page tree, then whatever comes next in order of need.
  const objects: Array<string | Uint8Array>[] = [];
  let next = 3;
  const alloc = (): number => next++;
  const put = (n: number, parts: Array<string | Uint8Array>): void => {
    objects[n] = parts;
  };
  const stream = (n: number, text: string | Uint8Array, dict = '', compress = options.compress): void => {
    let data: Uint8Array = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    if (compress) data = deflateSync(data, { level: 9 });
    if (security) data = security.encrypt(n, 0, data);
    put(n, [`<< /Length ${data.length}${compress ? ' /Filter /FlateDecode' : ''}${dict} >>\nstream\n`, data, '\nendstream']);
  };

  const fieldRefs: number[] = [];
  const formFont = pages.some((p) => (p.fields ?? []).length > 0) ? alloc() : 0;
  if (formFont) put(formFont, ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>']);
  const fontRefs: string[] = [];
  for (const [key, t] of fontTexts) {
    const n = alloc();
    let toUnicode = '';
    if (t.brokenToUnicode) {
      const cmap = alloc();
      stream(cmap, brokenToUnicodeCMap(t.brokenToUnicode));
      toUnicode = ` /ToUnicode ${cmap} 0 R`;
    }
    put(n, [`<< /Type /Font /Subtype /Type1 /BaseFont /${t.font ?? 'Helvetica'} /Encoding ${FONT_ENCODING}${toUnicode} >>`]);
    fontRefs.push(`/${fontNames.get(key)} ${n} 0 R`);
  }
  const pageObjs = pages.map((page) => {
    const n = alloc();
    const imageNames = new Map<PdfImage, string>();
    const xobjects: string[] = [];
    for (const im of page.images ?? []) {
      if (im.inline) continue;
      const obj = alloc();
      const name = `Im${imageNames.size + 1}`;
      imageNames.set(im, name);
      xobjects.push(`/${name} ${obj} 0 R`);
      const dict = ` /Type /XObject /Subtype /Image /Width ${im.raster.width} /Height ${im.raster.height} /ColorSpace /DeviceGray /BitsPerComponent 8`;
      stream(obj, graySamples(im.raster), dict, true);
    }
    const annots: number[] = [];
    for (const [k, f] of (page.fields ?? []).entries()) {
      const obj = alloc();
      const top = (page.height ?? A4.height) - f.y;
      put(obj, [
        `<< /Type /Annot /Subtype /Widget /FT /Tx /T (field${fieldRefs.length + 1}_${k}) /V ${pdfString(f.value)} /F 4 ` +
          `/Rect [${num(f.x)} ${num(top - f.height)} ${num(f.x + f.width)} ${num(top)}] /DA (/Helv 12 Tf 0 g) /P ${n} 0 R >>`,
      ]);
      annots.push(obj);
      fieldRefs.push(obj);
    }
    const content = alloc();
    stream(content, contentStream(page, fontNames, imageNames));
    const box = `[0 0 ${num(page.width ?? A4.width)} ${num(page.height ?? A4.height)}]`;
    const xobj = xobjects.length ? ` /XObject << ${xobjects.join(' ')} >>` : '';
    put(n, [
      `<< /Type /Page /Parent 2 0 R /MediaBox ${box} /Rotate ${page.rotate ?? 0} ` +
        `/Resources << /Font << ${fontRefs.join(' ')} >>${xobj} >> /Contents ${content} 0 R` +
        (annots.length ? ` /Annots [${annots.map((a) => `${a} 0 R`).join(' ')}]` : '') +
        ' >>',
    ]);
    return n;
  });
  const acroForm = fieldRefs.length
    ? ` /AcroForm << /Fields [${fieldRefs.map((f) => `${f} 0 R`).join(' ')}] /NeedAppearances true /DR << /Font << /Helv ${formFont} 0 R >> >> /DA (/Helv 12 Tf 0 g) >>`
    : '';
  put(1, [`<< /Type /Catalog /Pages 2 0 R${acroForm} >>`]);
  put(2, [`<< /Type /Pages /Kids [${pageObjs.map((n) => `${n} 0 R`).join(' ')}] /Count ${pages.length} >>`]);
  const encryptObj = security ? alloc() : 0;
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
