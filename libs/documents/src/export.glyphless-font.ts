import { PDFHexString, PDFString, type PDFDocument, type PDFRef } from 'pdf-lib';

/*
 * The font of a searchable PDF's invisible text, as Tesseract's GlyphLessFont and ocrmypdf use:
 * a Type0 font, Identity-H (two-byte codes), no glyphs to draw (render mode 3 draws none), and a
 * ToUnicode CMap that says which character every code stands for. Any Unicode text, € é ß ’ and
 * CJK alike, is then selectable and extractable, where a standard font's WinAnsi would write '?'.
 * Codes are given out per document, one per distinct character (up to 65 535 of them).
 */

/** Every glyph's advance, in 1/1000 em: words are stretched to their box with Tz anyway. */
export const GLYPHLESS_ADVANCE = 500;
/** Ascent and descent (1/1000 em) that text extractors use for the glyphs' boxes: Helvetica's. */
export const GLYPHLESS_ASCENT = 720;
export const GLYPHLESS_DESCENT = -210;

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** UTF-16BE hex of a string, as a CMap destination. */
function utf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/** A ToUnicode CMap mapping each code to its character (`bfchar` blocks of at most 100, as the spec allows). */
export function toUnicodeCMap(chars: readonly string[]): string {
  const lines = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
  ];
  for (let start = 0; start < chars.length; start += 100) {
    const block = chars.slice(start, start + 100);
    lines.push(`${block.length} beginbfchar`);
    block.forEach((ch, k) => lines.push(`<${hex4(start + k + 1)}> <${utf16Hex(ch)}>`));
    lines.push('endbfchar');
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
  return lines.join('\n');
}

/** The invisible-text font of one document: encodes text as it goes, written out by `finish`. */
export interface GlyphlessFont {
  ref: PDFRef;
  /** The two-byte codes of `text`, every character given a code on first sight. */
  encode(text: string): PDFHexString;
  /** Width of `text` at `size`, in user-space units. */
  widthOf(text: string, size: number): number;
  /** Writes the ToUnicode CMap for every character encoded so far. Call once, before saving. */
  finish(): void;
}

export function createGlyphlessFont(doc: PDFDocument): GlyphlessFont {
  const context = doc.context;
  const codes = new Map<string, number>();
  const chars: string[] = [];
  const ref = context.nextRef();
  const codeOf = (ch: string): number => {
    let code = codes.get(ch);
    if (code === undefined) {
      if (chars.length >= 0xfffe) throw new RangeError('More distinct characters than two-byte codes.');
      chars.push(ch);
      code = chars.length;
      codes.set(ch, code);
    }
    return code;
  };
  return {
    ref,
    encode(text) {
      return PDFHexString.of([...text].map((ch) => hex4(codeOf(ch))).join(''));
    },
    widthOf(text, size) {
      return ([...text].length * GLYPHLESS_ADVANCE * size) / 1000;
    },
    finish() {
      const descriptor = context.register(
        context.obj({
          Type: 'FontDescriptor',
          FontName: 'GlyphLessFont',
          Flags: 5,
          FontBBox: [0, GLYPHLESS_DESCENT, GLYPHLESS_ADVANCE, GLYPHLESS_ASCENT],
          ItalicAngle: 0,
          Ascent: GLYPHLESS_ASCENT,
          Descent: GLYPHLESS_DESCENT,
          CapHeight: GLYPHLESS_ASCENT,
          StemV: 80,
        }),
      );
      const cidFont = context.register(
        context.obj({
          Type: 'Font',
          Subtype: 'CIDFontType2',
          BaseFont: 'GlyphLessFont',
          CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
          FontDescriptor: descriptor,
          DW: GLYPHLESS_ADVANCE,
          CIDToGIDMap: 'Identity',
        }),
      );
      const toUnicode = context.register(context.flateStream(toUnicodeCMap(chars)));
      context.assign(
        ref,
        context.obj({
          Type: 'Font',
          Subtype: 'Type0',
          BaseFont: 'GlyphLessFont',
          Encoding: 'Identity-H',
          DescendantFonts: [cidFont],
          ToUnicode: toUnicode,
        }),
      );
    },
  };
}
