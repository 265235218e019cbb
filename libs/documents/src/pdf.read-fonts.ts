/**
 * Fonts of documents opened to read (`PdfjsUse` 'read'): pdfjs's worker converts every embedded
 * font program to OpenType (TrueType checked and repaired, Type1 and CFF compiled) for the canvas
 * or a browser's @font-face. Reading text needs none of it: a glyph's Unicode comes from the
 * font's ToUnicode map or encoding and its advance from the PDF's /Widths, which pdfjs reads
 * before converting. Converting was most of the CPU of reading a born-digital page (the fonts'
 * code, JIT-compiled in every new process, ~1.3 of ~4.8 CPU-s over the dev PDFs' pages read twice).
 *
 * `readsWithoutProgram` is called by the worker's `Font` constructor (see `pdf.worker-patch.ts`)
 * just before it would convert, for read documents only. It answers whether the conversion
 * changes nothing that reading sees, and when it does not, copies the one thing it would have
 * changed (TrueType's vertical metrics), so words come out exactly as with the conversion.
 */

/** The pdfjs font properties this judgement reads (`properties` in pdfjs's `Font` constructor). */
export interface ReadFontProperties {
  composite?: boolean;
  flags?: number;
  /** The PDF gives a /ToUnicode map. */
  hasIncludedToUnicodeMap?: boolean;
  /** The font dictionary has an /Encoding. */
  hasEncoding?: boolean;
  /** That encoding's /BaseEncoding (or its name), when it has one. */
  baseEncodingName?: string | null;
  /** One of the 14 standard fonts, its program from pdfjs's own data. */
  isInternalFont?: boolean;
  toUnicode?: unknown;
}

/** The part of a pdfjs `Font` the TrueType branch sets, as the conversion would. */
export interface ReadFont {
  ascent: number;
  descent: number;
  lineGap?: number;
  lineHeight?: number;
}

/** The part of a pdfjs stream used to peek at a font program's table directory. */
export interface FontProgramStream {
  peekBytes(length: number): Uint8Array;
}

/** PDF font flag: the font uses symbols outside the standard Latin set (its encoding is its own). */
const SYMBOLIC = 4;

/**
 * Whether pdfjs's conversion would leave the font's Unicode map alone. It amends that map in two
 * places only, both skipped for fonts with a /ToUnicode, pdfjs's standard 14 and identity maps:
 * simple symbolic TrueType fonts without an /Encoding read it from the program's cmap
 * (`adjustTrueTypeToUnicode`), and Type1/CFF programs (OpenType-CFF included) lend their built-in
 * encoding to codes that the /Encoding does not name (`adjustType1ToUnicode`: nothing when a
 * base encoding names them all). Composite CFF fonts are converted: whether they carry a built-in
 * encoding is only known from the program.
 */
export function conversionKeepsUnicode(properties: ReadFontProperties, fileType: string): boolean {
  if (properties.hasIncludedToUnicodeMap || properties.isInternalFont) return true;
  if ((properties.toUnicode as { constructor?: { name?: string } } | undefined)?.constructor?.name === 'IdentityToUnicodeMap') return true;
  switch (fileType) {
    case 'TrueType':
    case 'CIDFontType2':
      return properties.composite === true || properties.hasEncoding === true || ((properties.flags ?? 0) & SYMBOLIC) === 0;
    case 'Type1':
    case 'MMType1':
    case 'OpenType':
      return properties.composite !== true && properties.hasEncoding === true && Boolean(properties.baseEncodingName);
    default:
      return false;
  }
}

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const s16 = (b: Uint8Array, at: number): number => (u16(b, at) << 16) >> 16;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** Longest table directory read (pdfjs's own sanity limit on tables is far lower in practice). */
const MAX_TABLES = 64;

/**
 * Ascent, descent and line gap in em from a TrueType program's `head` and `hhea` tables: what
 * pdfjs's `checkAndRepair` puts on the font in place of the /FontDescriptor's values. Reads only
 * the table directory and those two tables. `null` for anything else (collections, CFF outlines,
 * damage): the caller then converts, as before.
 */
export function sfntMetrics(file: FontProgramStream): { ascent: number; descent: number; lineGap: number } | null {
  const header = file.peekBytes(12);
  if (header.length < 12) return null;
  const version = u32(header, 0);
  // 0x00010000 and 'true' are TrueType outlines; 'OTTO' (CFF) goes down the Type1 branch; 'ttcf' is a collection.
  if (version !== 0x00010000 && version !== 0x74727565) return null;
  const numTables = u16(header, 4);
  if (numTables === 0 || numTables > MAX_TABLES) return null;
  const directory = file.peekBytes(12 + numTables * 16);
  if (directory.length < 12 + numTables * 16) return null;
  let head = -1;
  let hhea = -1;
  for (let t = 0; t < numTables; t++) {
    const at = 12 + t * 16;
    const tag = String.fromCharCode(directory[at]!, directory[at + 1]!, directory[at + 2]!, directory[at + 3]!);
    if (tag === 'head') head = u32(directory, at + 8);
    else if (tag === 'hhea') hhea = u32(directory, at + 8);
    // CFF outlines in a TrueType wrapper may be converted as Type1 by pdfjs: left to it.
    else if (tag === 'CFF ') return null;
  }
  if (head < 0 || hhea < 0) return null;
  const bytes = file.peekBytes(Math.max(head + 54, hhea + 36));
  if (bytes.length < Math.max(head + 54, hhea + 36)) return null;
  const unitsPerEm = u16(bytes, head + 18);
  if (!(unitsPerEm > 0)) return null;
  return { ascent: s16(bytes, hhea + 4) / unitsPerEm, descent: s16(bytes, hhea + 6) / unitsPerEm, lineGap: s16(bytes, hhea + 8) / unitsPerEm };
}

/**
 * The worker's question for a read document's embedded font: may it skip converting the program?
 * Yes when the conversion keeps the Unicode map (see `conversionKeepsUnicode`) and, for TrueType,
 * the program's vertical metrics could be read and are copied onto `font`.
 */
export function readsWithoutProgram(font: ReadFont, file: FontProgramStream, properties: ReadFontProperties, fileType: string): boolean {
  if (!conversionKeepsUnicode(properties, fileType)) return false;
  if (fileType !== 'TrueType' && fileType !== 'CIDFontType2') return true;
  let metrics: ReturnType<typeof sfntMetrics>;
  try {
    metrics = sfntMetrics(file);
  } catch {
    return false;
  }
  if (!metrics) return false;
  font.ascent = metrics.ascent;
  font.descent = metrics.descent;
  font.lineGap = metrics.lineGap;
  font.lineHeight = metrics.ascent - metrics.descent + metrics.lineGap;
  return true;
}
