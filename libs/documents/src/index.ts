export type { DocumentType, Raster, RenderedRegion, RenderOptions, DocumentSource } from './document.types.ts';
export { DocumentError, isDocumentError, documentErrors, type DocumentErrorCode, type DocumentRefusal } from './document.errors.ts';
export {
  documentLimitsSchema,
  resolveLimits,
  limitsFromConfig,
  type DocumentLimits,
  type DocumentLimitsInput,
} from './document.limits.ts';
export { sniffDocumentType, assertDeclaredType, documentMimeTypes } from './document.sniff.ts';
export { openDocument } from './document.open.ts';
export { encodePng, decodeImage, type EncodePngOptions } from './raster.codec.ts';
export { encodePageImage, type PageImageOptions } from './page-image.codec.ts';
export { neutralGray } from './raster.gray.ts';
export { DEFAULT_RENDER_DPI, planRenderSize, type RenderSize } from './pdf.render-size.ts';
export { DEFAULT_IMAGE_DPI } from './image.source.ts';
export { captureHead, SNIFF_BYTES } from './head.capture.ts';
export { drawBoxes, overlaySvg, confidenceColour, CONFIDENCE_THRESHOLDS, type OverlayBox, type OverlayOptions } from './image.overlay.ts';
export { preloadPdfRenderer } from './pdf.runtime.ts';
export { openPdfBudgetCheck, pageBudgetSchema, PAGE_BUDGETS, type PageBudget, type PageBudgetInput, type PageBudgetName, type BudgetExcess, type PdfBudgetCheck } from './pdf.budget.ts';
export { imageSize, verifyImage } from './image.verify.ts';
export type {
  TextLayerPage,
  TextLayerWord,
  TextLayerQuad,
  TextLayerPoint,
  TextLayerVerdict,
  TextLayerReason,
  TextLayerStats,
  PageTextSource,
  PixelBox,
  PageContent,
  TextRun,
  TextGlyph,
  PaintedImage,
  FilledArea,
} from './text-layer.types.ts';
export type { TextLayerOptions } from './document.types.ts';
export { expandLigatures, buildWords, groupLines, lineQuad, hullQuad, partitionByDirection, LINE_JOIN_GAP, OFF_AXIS_DEGREES } from './text-layer.words.ts';
export { judgeContent } from './text-layer.read.ts';
export { textLayerLines, type TextLayerLine } from './text-layer.lines.ts';
export type { ExportPage, ExportBlock, ExportLine, ExportWord } from './export.types.ts';
export { pagesToHocr } from './export.hocr.ts';
export { searchablePdf } from './export.searchable-pdf.ts';
