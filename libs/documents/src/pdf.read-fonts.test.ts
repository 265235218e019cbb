import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDocument } from './document.open.ts';
import { conversionKeepsUnicode, readsWithoutProgram, sfntMetrics, type ReadFont, type ReadFontProperties } from './pdf.read-fonts.ts';
import { loadPdfjs } from './pdf.runtime.ts';
import { READ_FONT_HOOK } from './pdf.worker-patch.ts';
import type { TextLayerPage } from './text-layer.types.ts';
import { textLayerFixtures } from './testing/index.ts';

const bytesStream = (bytes: Uint8Array) => ({ peekBytes: (n: number) => bytes.subarray(0, n) });

/** A TrueType table directory with `head` (units per em) and `hhea` (ascent, descent, line gap) filled in. */
function sfnt(unitsPerEm: number, ascent: number, descent: number, lineGap: number, extraTag?: string): Uint8Array {
  const tags = ['head', 'hhea', ...(extraTag ? [extraTag] : [])];
  const dirEnd = 12 + tags.length * 16;
  const head = dirEnd;
  const hhea = head + 54;
  const b = Buffer.alloc(hhea + 36);
  b.writeUInt32BE(0x00010000, 0);
  b.writeUInt16BE(tags.length, 4);
  tags.forEach((tag, i) => {
    b.write(tag, 12 + i * 16, 'latin1');
    b.writeUInt32BE(tag === 'hhea' ? hhea : head, 12 + i * 16 + 8);
  });
  b.writeUInt16BE(unitsPerEm, head + 18);
  b.writeInt16BE(ascent, hhea + 4);
  b.writeInt16BE(descent, hhea + 6);
  b.writeInt16BE(lineGap, hhea + 8);
  return new Uint8Array(b);
}

describe('conversionKeepsUnicode', () => {
  const simple: ReadFontProperties = { composite: false, flags: 32, hasEncoding: false, baseEncodingName: null };
  it('trusts fonts whose Unicode the conversion never touches', () => {
    expect(conversionKeepsUnicode({ ...simple, hasIncludedToUnicodeMap: true, flags: 4 }, 'Type1')).toBe(true);
    expect(conversionKeepsUnicode({ ...simple, isInternalFont: true }, 'Type1')).toBe(true);
    expect(conversionKeepsUnicode({ ...simple, hasEncoding: true }, 'TrueType')).toBe(true);
    expect(conversionKeepsUnicode(simple, 'TrueType')).toBe(true); // nonsymbolic
    expect(conversionKeepsUnicode({ ...simple, composite: true, flags: 4 }, 'CIDFontType2')).toBe(true);
    expect(conversionKeepsUnicode({ ...simple, hasEncoding: true, baseEncodingName: 'WinAnsiEncoding' }, 'Type1')).toBe(true);
  });
  it('converts fonts whose program may lend them Unicode', () => {
    // Symbolic TrueType without /Encoding: Unicode from the program's cmap.
    expect(conversionKeepsUnicode({ ...simple, flags: 4 }, 'TrueType')).toBe(false);
    // Type1/CFF with no base encoding: the built-in encoding names the codes /Differences leaves out.
    expect(conversionKeepsUnicode({ ...simple, hasEncoding: true }, 'Type1')).toBe(false);
    expect(conversionKeepsUnicode(simple, 'OpenType')).toBe(false);
    expect(conversionKeepsUnicode({ ...simple, composite: true }, 'CIDFontType0')).toBe(false);
  });
});

describe('sfntMetrics / readsWithoutProgram', () => {
  it('reads ascent, descent and line gap in em from head and hhea', () => {
    expect(sfntMetrics(bytesStream(sfnt(2048, 1901, -483, 67)))).toEqual({ ascent: 1901 / 2048, descent: -483 / 2048, lineGap: 67 / 2048 });
  });
  it('leaves CFF outlines, collections and cut-off programs to the conversion', () => {
    expect(sfntMetrics(bytesStream(sfnt(1000, 800, -200, 0, 'CFF ')))).toBeNull();
    const ttc = sfnt(1000, 800, -200, 0);
    ttc.set([0x74, 0x74, 0x63, 0x66], 0);
    expect(sfntMetrics(bytesStream(ttc))).toBeNull();
    expect(sfntMetrics(bytesStream(sfnt(1000, 800, -200, 0).subarray(0, 60)))).toBeNull();
  });
  it('puts the program’s metrics on a TrueType font it lets through, as the conversion would', () => {
    const font: ReadFont = { ascent: 0.5, descent: -0.1 };
    expect(readsWithoutProgram(font, bytesStream(sfnt(1000, 900, -250, 50)), { hasEncoding: true }, 'TrueType')).toBe(true);
    expect(font).toEqual({ ascent: 0.9, descent: -0.25, lineGap: 0.05, lineHeight: 1.2 });
    const damaged: ReadFont = { ascent: 0.5, descent: -0.1 };
    expect(readsWithoutProgram(damaged, bytesStream(new Uint8Array(8)), { hasEncoding: true }, 'TrueType')).toBe(false);
    expect(damaged).toEqual({ ascent: 0.5, descent: -0.1 });
  });
});

/**
 * A one-page PDF in one TrueType font whose program is embedded (/FontFile2), with a
 * /FontDescriptor whose ascent and descent differ from the program's own.
 */
function pdfWithTrueType(program: Uint8Array, text: string, fontDict: string): Uint8Array {
  const widths = Array.from({ length: 95 }, (_, i) => 500 + (i % 7) * 40).join(' ');
  const content = `BT /F1 24 Tf 72 700 Td (${text}) Tj 0 -40 Td -3 Tc (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    `<< /Type /Font /Subtype /TrueType /BaseFont /DejaVuSans /FirstChar 32 /LastChar 126 /Widths [${widths}] /FontDescriptor 6 0 R ${fontDict} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [0 -200 1000 700] /ItalicAngle 0 /Ascent 600 /Descent -150 /CapHeight 500 /StemV 80 /FontFile2 7 0 R >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let offset = parts[0]!.length;
  const push = (b: Buffer): void => {
    parts.push(b);
    offset += b.length;
  };
  objects.forEach((body, i) => {
    offsets.push(offset);
    push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'));
  });
  offsets.push(offset);
  push(Buffer.from(`7 0 obj\n<< /Length ${program.length} /Length1 ${program.length} >>\nstream\n`, 'latin1'));
  push(Buffer.from(program));
  push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  const xref = offset;
  push(Buffer.from(`xref\n0 8\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`, 'latin1'));
  push(Buffer.from(`trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const hookKey = Symbol.for(READ_FONT_HOOK);
type Hook = (...args: unknown[]) => boolean;
const globals = globalThis as unknown as Record<symbol, Hook | undefined>;

/** The page's text layer read with the installed hook swapped for `hook` (counting its calls and answers). */
async function readWith(pdf: Uint8Array, hook: 'installed' | 'convert'): Promise<{ page: TextLayerPage; skipped: number; asked: number }> {
  await loadPdfjs();
  const installed = globals[hookKey]!;
  let asked = 0;
  let skipped = 0;
  globals[hookKey] = (...args) => {
    asked++;
    const answer = hook === 'installed' ? installed(...args) : false;
    if (answer) skipped++;
    return answer;
  };
  try {
    const doc = await openDocument(pdf);
    try {
      return { page: await doc.readTextLayer!(0, { dpi: 144 }), skipped, asked };
    } finally {
      await doc.close();
    }
  } finally {
    globals[hookKey] = installed;
  }
}

const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

describe('read documents skip font conversion', () => {
  afterEach(() => expect(typeof globals[hookKey]).toBe('function'));

  it('reads a generated page the same without converting its fonts, the hook asked per font', async () => {
    const { textOnly } = textLayerFixtures();
    const converted = await readWith(textOnly.pdf, 'convert');
    const read = await readWith(textOnly.pdf, 'installed');
    expect(read.asked).toBeGreaterThan(0);
    expect(read.skipped).toBe(read.asked);
    expect(read.page).toEqual(converted.page);
  });

  it.skipIf(!existsSync(dejavu))('reads an embedded TrueType font as its conversion would, metrics from the program', async () => {
    const program = new Uint8Array(readFileSync(dejavu));
    const text = 'Caf\\351 na\\357ve \\200 12,50';
    for (const fontDict of ['/Encoding /WinAnsiEncoding', '']) {
      const pdf = pdfWithTrueType(program, text, fontDict);
      const converted = await readWith(pdf, 'convert');
      const read = await readWith(pdf, 'installed');
      expect(read.skipped).toBe(1);
      expect(read.page).toEqual(converted.page);
      if (fontDict) expect(read.page.words.map((w) => w.text)).toEqual(['Café', 'naïve', '€', '12,50', 'Café', 'naïve', '€', '12,50']);
    }
  });

  it.skipIf(!existsSync(dejavu))('converts a symbolic TrueType font without /Encoding (its Unicode comes from the program)', async () => {
    const pdf = pdfWithTrueType(new Uint8Array(readFileSync(dejavu)), 'Hello world', '').slice();
    const symbolic = Buffer.from(pdf).toString('latin1').replace('/Flags 32', '/Flags 04');
    const read = await readWith(new Uint8Array(Buffer.from(symbolic, 'latin1')), 'installed');
    expect(read.asked).toBe(1);
    expect(read.skipped).toBe(0);
  });
});
