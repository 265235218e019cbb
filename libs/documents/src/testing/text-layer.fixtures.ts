import { A4, writePdf, type PdfPage } from './pdf.writer.ts';
import { makeTextRaster } from './text-image.ts';

/**
 * One-page PDFs for each case the text-layer reader must tell apart, with the text each holds.
 * Any package's tests can use them (`import { textLayerFixtures } from '@folio/documents/testing'`).
 */

/** Typographic characters OCR models drop and a text layer must keep. */
export const TYPOGRAPHIC_LINE = 'Total: €1.234,50 – café, Gaëtan, “quoted” ‘single’ Straße';
/** A line set with a ligature glyph (ﬁ) that must come back as two letters. */
export const LIGATURE_LINE = 'The ﬁnal ﬂoor oﬃce';
export const LIGATURE_EXPANDED = 'The final floor office';
/** What the scanned image of the scan fixtures shows. */
export const SCANNED_LINES = ['Scanned invoice 4711', 'Amount due 99.00'];

/**
 * A page-sized "scan" at 150 dpi: the lines drawn big on white, as a bitmap of the page's own
 * proportions (a bitmap of another shape would be stretched to the page, glyphs with it).
 */
function scanImage(lines: string[]): PdfPage['images'] {
  const width = 1240;
  const raster = makeTextRaster(lines, { fontSize: 48, padding: 120, width, height: Math.round((width * A4.height) / A4.width) });
  return [{ x: 0, y: 0, width: A4.width, height: A4.height, raster }];
}

export interface TextLayerFixture {
  pdf: Uint8Array;
  /** The page's text lines as a reader should get them from the text layer (empty when it must be OCR'd). */
  lines: string[];
}

/** One PDF per case; each a single A4 page unless said otherwise. */
export function textLayerFixtures(): Record<
  'textOnly' | 'scanOnly' | 'textWithImageOfText' | 'brokenToUnicode' | 'unmappedControl' | 'rotatedPage' | 'rotatedRun' | 'invisibleOverScan',
  TextLayerFixture
> {
  const imageOfText = makeTextRaster(['Figure: revenue 2024'], { fontSize: 32 });
  return {
    textOnly: {
      pdf: writePdf([
        {
          texts: [
            { text: TYPOGRAPHIC_LINE, x: 72, y: 100 },
            { text: LIGATURE_LINE, x: 72, y: 130, font: 'Times-Roman' },
            { text: 'Hyphen-', x: 72, y: 160 },
            { text: 'ated words', x: 72, y: 178 },
          ],
        },
      ]),
      lines: [TYPOGRAPHIC_LINE, LIGATURE_EXPANDED, 'Hyphen-', 'ated words'],
    },
    scanOnly: { pdf: writePdf([{ images: scanImage(SCANNED_LINES) }]), lines: [] },
    textWithImageOfText: {
      pdf: writePdf([
        {
          texts: [{ text: 'Quarterly report', x: 72, y: 100 }],
          images: [{ x: 72, y: 200, width: 300, height: 60, raster: imageOfText }],
        },
      ]),
      lines: ['Quarterly report'],
    },
    brokenToUnicode: {
      pdf: writePdf([{ texts: [{ text: 'Invoice number 12345 due today', x: 72, y: 100, brokenToUnicode: 'private-use' }] }]),
      lines: [],
    },
    unmappedControl: {
      pdf: writePdf([{ texts: [{ text: 'Invoice number 12345 due today', x: 72, y: 100, brokenToUnicode: 'control' }] }]),
      lines: [],
    },
    rotatedPage: {
      pdf: writePdf([{ rotate: 90, texts: [{ text: 'Landscape table heading', x: 72, y: 100 }] }]),
      lines: ['Landscape table heading'],
    },
    rotatedRun: {
      pdf: writePdf([
        {
          texts: [
            { text: 'Body text runs across', x: 72, y: 100 },
            { text: 'Margin note upwards', x: 40, y: 700, angle: 90 },
          ],
        },
      ]),
      lines: ['Body text runs across', 'Margin note upwards'],
    },
    invisibleOverScan: {
      pdf: writePdf([
        {
          images: scanImage(SCANNED_LINES),
          // What OCR tools leave behind: the recognised text, invisible (Tr 3), over the scan.
          texts: SCANNED_LINES.map((text, i) => ({ text, x: 72, y: 160 + i * 60, size: 24, render: 3 })),
        },
      ]),
      lines: [],
    },
  };
}
