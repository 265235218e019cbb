import {
  PDFDocument,
  TextRenderingMode,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  type PDFName,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import type { DocumentType } from './document.types.ts';
import { openDocument } from './document.open.ts';
import type { ExportPage, ExportWord } from './export.types.ts';
import { createGlyphlessFont, GLYPHLESS_ASCENT, GLYPHLESS_DESCENT, type GlyphlessFont } from './export.glyphless-font.ts';
import { encodePng } from './raster.codec.ts';
import type { TextLayerPoint } from './text-layer.types.ts';

/*
 * A searchable PDF as ocrmypdf's "sandwich" makes it: the original pages untouched, and on each
 * OCR'd page the words as invisible text (render mode 3) laid on their positions, so selecting,
 * searching and `pdftotext` find them where the pixels show them. Pages read from their own text
 * layer get nothing (their text is already there); on mixed pages only the OCR'd words are added.
 */

/** The font's ascent + |descent| as a share of the font size: the height a word's box spans. */
const FONT_SPAN = (GLYPHLESS_ASCENT - GLYPHLESS_DESCENT) / 1000;
/** The font's descent as a share of the font size: how far the baseline sits above a box's bottom. */
const FONT_DESCENT = -GLYPHLESS_DESCENT / 1000;

/** Maps page pixels (as displayed, /Rotate applied) to the page's user space. */
function pixelToUser(page: PDFPage, ocr: ExportPage): (p: TextLayerPoint) => TextLayerPoint {
  const crop = page.getCropBox();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const turned = rotation === 90 || rotation === 270;
  // Scale from the displayed page size, so a page rendered at a lowered dpi still lines up.
  const sx = (turned ? crop.height : crop.width) / ocr.width;
  const sy = (turned ? crop.width : crop.height) / ocr.height;
  return ([x, y]) => {
    const dx = x * sx;
    const dy = y * sy;
    let ux = dx;
    let uy = dy;
    if (rotation === 90) [ux, uy] = [dy, crop.height - dx];
    else if (rotation === 180) [ux, uy] = [crop.width - dx, crop.height - dy];
    else if (rotation === 270) [ux, uy] = [crop.width - dy, dx];
    return [crop.x + ux, crop.y + crop.height - uy];
  };
}

function wordOperators(word: ExportWord, toUser: (p: TextLayerPoint) => TextLayerPoint, font: GlyphlessFont, fontKey: PDFName): PDFOperator[] {
  const text = word.text;
  if (!text.trim()) return [];
  const [, , p2, p3] = word.quad.map(toUser) as [TextLayerPoint, TextLayerPoint, TextLayerPoint, TextLayerPoint];
  const p0 = toUser(word.quad[0]);
  const length = Math.hypot(p2[0] - p3[0], p2[1] - p3[1]);
  const height = Math.hypot(p0[0] - p3[0], p0[1] - p3[1]);
  if (length < 0.1 || height < 0.1) return [];
  const ux = (p2[0] - p3[0]) / length;
  const uy = (p2[1] - p3[1]) / length;
  const size = height / FONT_SPAN;
  const natural = font.widthOf(text, size);
  // Baseline: up from the box's bottom edge by the font's descent.
  const ox = p3[0] - uy * FONT_DESCENT * size;
  const oy = p3[1] + ux * FONT_DESCENT * size;
  return [
    setFontAndSize(fontKey, size),
    setCharacterSqueeze(natural > 0 ? (100 * length) / natural : 100),
    setTextMatrix(ux, uy, -uy, ux, ox, oy),
    // A space after each word, beyond its box: OCR word boxes may touch, and text extractors
    // split words only at a gap or a space.
    showText(font.encode(`${text} `)),
  ];
}

/** Adds the invisible words of `ocr` to `page`; the page's own content is wrapped in q/Q first. */
function addInvisibleText(doc: PDFDocument, page: PDFPage, ocr: ExportPage, font: GlyphlessFont): void {
  const words = ocr.blocks.flatMap((b) => b.lines.flatMap((l) => l.words)).filter((w) => w.origin !== 'text_layer');
  if (words.length === 0) return;
  // The original content may leave its transform changed at its end: isolate it.
  const start = doc.context.register(doc.context.contentStream([pushGraphicsState()]));
  const end = doc.context.register(doc.context.contentStream([popGraphicsState()]));
  page.node.wrapContentStreams(start, end);
  const fontKey = page.node.newFontDictionary('GlyphLessFont', font.ref);
  const toUser = pixelToUser(page, ocr);
  page.pushOperators(
    pushGraphicsState(),
    beginText(),
    setTextRenderingMode(TextRenderingMode.Invisible),
    ...words.flatMap((w) => wordOperators(w, toUser, font, fontKey)),
    endText(),
    popGraphicsState(),
  );
}

/**
 * The searchable PDF of a document and its pages' results (`null` for a failed page, which gets
 * no text). A PDF keeps its pages and gains invisible text on OCR'd pages only; an image (PNG,
 * JPEG, TIFF) becomes one PDF page per image page, sized from its dpi, with its text over it.
 */
export async function searchablePdf(original: Uint8Array, type: DocumentType, pages: ReadonlyArray<ExportPage | null>): Promise<Uint8Array> {
  const doc = type === 'pdf' ? await PDFDocument.load(original, { updateMetadata: false }) : await PDFDocument.create();
  const font = createGlyphlessFont(doc);
  if (type === 'pdf') {
    doc.getPages().forEach((page, i) => {
      const ocr = pages[i];
      if (ocr && ocr.source !== 'text_layer') addInvisibleText(doc, page, ocr, font);
    });
  } else {
    const source = await openDocument(original);
    try {
      for (let i = 0; i < source.pageCount; i++) {
        const ocr = pages[i];
        // The original bytes when they are the pixels the boxes refer to; else the decoded page
        // (TIFF pages, EXIF-turned JPEGs), re-encoded as PNG.
        let image = type === 'png' ? await doc.embedPng(original) : type === 'jpeg' ? await doc.embedJpg(original) : undefined;
        let dpi = ocr?.dpi ?? 72;
        if (!image || (ocr && (image.width !== ocr.width || image.height !== ocr.height))) {
          const raster = await source.renderPage(i);
          image = await doc.embedPng(await encodePng(raster));
          dpi = ocr?.dpi ?? raster.dpi;
        }
        const page = doc.addPage([(image.width * 72) / dpi, (image.height * 72) / dpi]);
        page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
        if (ocr) addInvisibleText(doc, page, { ...ocr, width: image.width, height: image.height }, font);
      }
    } finally {
      await source.close();
    }
  }
  font.finish();
  return doc.save({ useObjectStreams: true });
}
