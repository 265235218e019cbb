/**
 * Generators of test documents with known content, for any package's tests
 * (`import { makeTextPdf } from '@folio/documents/testing'`). Never used by production code.
 */
export {
  writePdf,
  makeTextPdf,
  A4,
  type PdfPage,
  type PdfText,
  type PdfRect,
  type PdfImage,
  type PdfField,
  type PdfLayer,
  type PdfFont,
  type PdfBrokenToUnicode,
  type PdfWriteOptions,
  type TextPdfOptions,
} from './pdf.writer.ts';
export { standardSecurityHandler, rc4 } from './pdf.encrypt.ts';
export { makeTextPng, makeTextRaster, type TextImageOptions } from './text-image.ts';
export { inkBox, meanAbsDiff } from './raster.inspect.ts';
export { renderForeverPage, rawPdf, deeplyNestedPdf, manyPagesPdf, contentBombPdf } from './pdf.hostile.ts';
export { forgedPng, garbageAfter } from './image.hostile.ts';
export { jpxBombPdf, jbig2BombPdf, hugeImagePdf, inflateBombImagePdf, formBombPdf, jpxCodestream, jbig2PageSegments } from './pdf.bombs.ts';
export {
  textLayerFixtures,
  TYPOGRAPHIC_LINE,
  LIGATURE_LINE,
  LIGATURE_EXPANDED,
  SCANNED_LINES,
  type TextLayerFixture,
} from './text-layer.fixtures.ts';
