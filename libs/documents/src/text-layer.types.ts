/**
 * What a PDF page's text layer holds, in plain structural types. libs/ocr owns the canonical
 * page; these shapes match its `Point`/`Quad`/`Word` so the pipeline can map them one to one.
 */

/** A point `[x, y]`. In page pixels unless said otherwise. */
export type TextLayerPoint = [number, number];

/**
 * Four corners clockwise from the top-left of the text as read, in pixels of the page
 * rendered at the reported dpi (origin top-left, y down, /Rotate applied): the same
 * convention as the engine's OCR quads.
 */
export type TextLayerQuad = [TextLayerPoint, TextLayerPoint, TextLayerPoint, TextLayerPoint];

/** One glyph of a text run as the page content paints it. */
export interface TextGlyph {
  /** The glyph's Unicode text (ligatures not yet expanded; may be '' for unmapped glyphs). */
  text: string;
  /** Start and end of its advance along the run, in PDF user-space units from the run's origin. */
  start: number;
  end: number;
  /** Text render mode (PDF `Tr`): 3 and 7 paint nothing. `null` when it could not be tied to the glyph. */
  renderMode: number | null;
  /** Position in the page's operator list: what is painted later lies on top. `-1` when unknown. */
  paintOrder: number;
  /** Filled in a colour too light to see on white paper (white text, faint grey). `null` when unknown. */
  lightFill: boolean | null;
}

/**
 * A run of text (one font, one direction, no word gap inside), in PDF user space (points, y up,
 * before /Rotate and the crop box offset): one `showText` operator's glyphs up to a word gap
 * (`text-layer.op-runs.ts`), or a pdfjs `getTextContent` item for pages that reader leaves alone.
 */
export interface TextRun {
  /** The run as extracted, whitespace included. */
  text: string;
  /** Text space → user space at the run's origin, font size included (pdfjs `item.transform`). */
  transform: [number, number, number, number, number, number];
  /** Length of the run along its advance (down the column for vertical writing), user-space units. */
  width: number;
  /** Font size in user-space units (the glyphs' y axis). */
  height: number;
  /** Font ascent and descent as fractions of the font size (descent negative). */
  ascent: number;
  descent: number;
  vertical: boolean;
  /** pdfjs's id of the run's font: runs of one font share it. */
  fontId: string;
  /** The glyphs behind `text` (whitespace inserted for gaps is a glyph with no paint: render mode null). */
  glyphs: TextGlyph[];
  /** pdfjs ends the run with a line break (runs from the operator list leave lines to geometry: false). */
  endOfLine: boolean;
}

/** A bitmap the page paints, with where it lands. */
export interface PaintedImage {
  /** The image's unit square mapped to user space: corners (0,0), (1,0), (1,1), (0,1). */
  corners: [TextLayerPoint, TextLayerPoint, TextLayerPoint, TextLayerPoint];
  /** Its own size in samples (0 when pdfjs does not say, as for some masks). */
  pixelWidth: number;
  pixelHeight: number;
  kind: 'image' | 'inline' | 'mask';
  /** Position in the operator list. */
  paintOrder: number;
}

/** An opaque filled path (a cell background, a banner, a redaction box), by its bounds. */
export interface FilledArea {
  /** Bounds in user space (x, y of the lower-left corner: PDF's y points up). */
  box: PixelBox;
  /** Filled in a colour too light to see on white paper. */
  light: boolean;
  paintOrder: number;
}

/** Everything the trust checks and the word builder need from one page, in PDF user space. */
export interface PageContent {
  runs: TextRun[];
  images: PaintedImage[];
  /** Opaque filled paths; translucent or blended fills are left out (they hide nothing). */
  fills: FilledArea[];
  /**
   * Annotations whose appearance shows text that is not in the page's content (filled form
   * fields, free-text notes, stamps), by their rectangles in user space (x, y of the lower-left
   * corner). The render paints them; the text layer does not hold their text.
   */
  annotations: PixelBox[];
  /** Path-painting operators (fills, strokes): text drawn as outlines shows up only here. */
  pathPaints: number;
  /** Glyphs painted with no Unicode at all: they leave no trace in the runs but are text on the page. */
  emptyGlyphs: number;
}

/** A word read from the text layer. */
export interface TextLayerWord {
  text: string;
  quad: TextLayerQuad;
  /** Always 1: the text layer states its text, it does not guess it. */
  confidence: 1;
  /** Index of the run the word starts in; words of one run share a baseline. */
  run: number;
}

/** An axis-aligned region of the page in pixels (x, y of the top-left corner). */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Why a page is not (only) read from its text layer.
 * - `no_text_layer`: nothing to read, but the page paints images or paths that may hold text.
 * - `scanned_page`: one image covers most of the page and no trustworthy visible text lies on it.
 * - `invisible_text`: most text is invisible (render mode 3/7), as OCR'd scans carry it: to verify, not to trust.
 * - `text_under_image`: most visible text is painted over by an image.
 * - `unmapped_glyphs`: runs of private-use, U+FFFD or unmapped glyphs (no usable ToUnicode).
 * - `control_characters`: a font maps its glyphs to control characters.
 * - `garbled_text`: characters outside the scripts the page otherwise uses, mixed inside words.
 * - `text_off_page`: most text lies outside the crop box.
 * - `image_regions` (mixed): images that may hold text and that no trusted text covers, or
 *   annotations that show text (filled form fields, free-text notes, stamps).
 * - `unreadable`: pdfjs failed to read the page's text or operators.
 */
export type TextLayerReason =
  | 'no_text_layer'
  | 'scanned_page'
  | 'invisible_text'
  | 'text_under_image'
  | 'unmapped_glyphs'
  | 'control_characters'
  | 'garbled_text'
  | 'text_off_page'
  | 'image_regions'
  | 'unreadable';

export type PageTextSource = 'text_layer' | 'ocr' | 'mixed';

/** How a page should be read. */
export interface TextLayerVerdict {
  source: PageTextSource;
  /** Set whenever `source` is not `text_layer`. */
  reason?: TextLayerReason;
  /** For `mixed`: the regions (page pixels) to render and OCR. Empty otherwise. */
  imageRegions: PixelBox[];
}

/** Counts behind a verdict, for logs and tuning across a corpus (never per file). */
export interface TextLayerStats {
  /** Non-whitespace characters in the text layer. */
  chars: number;
  invisibleChars: number;
  /** Visible characters painted over by a later image. */
  hiddenChars: number;
  /** Private-use, U+FFFD and unmapped glyphs. */
  unmappedChars: number;
  controlChars: number;
  /** Letters in words that mix scripts or in scripts the page barely uses. */
  strayChars: number;
  offPageChars: number;
  /** Share of the page the largest image covers, 0..1. */
  largestImageShare: number;
}

/** A page read from its text layer. */
export interface TextLayerPage {
  /** Page size in pixels at `dpi`: exactly the raster `renderPage(index, { dpi })` returns. */
  width: number;
  height: number;
  dpi: number;
  /** The page's /Rotate (degrees clockwise), already applied to the quads. */
  pageRotation: 0 | 90 | 180 | 270;
  /** Trusted words (visible, on the page, mapped), in content order; empty when `source` is `ocr`. */
  words: TextLayerWord[];
  verdict: TextLayerVerdict;
  stats: TextLayerStats;
}

/** The operator codes the content readers follow (pdfjs `OPS`, passed in so they stay pure of the loader). */
export type PdfOps = Readonly<Record<string, number>>;
