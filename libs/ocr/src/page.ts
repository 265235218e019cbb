/**
 * The canonical page result: the one shape every dialect maps from.
 * All coordinates are pixels of the page image the engine saw (after EXIF orientation,
 * or the PDF page rendered at `dpi`), origin top-left, x right, y down.
 */

/** A point `[x, y]` in page pixels. */
export type Point = [number, number];

/** Four corners clockwise from the top-left of the text as read (quadrilateral, may be rotated). */
export type Quad = [Point, Point, Point, Point];

export interface Word {
  text: string;
  /** 0..1, mean of the character probabilities. */
  confidence: number;
  quad: Quad;
  /** Where the word came from: the PDF's text layer (confidence 1) or OCR. Absent on rows older than it. */
  origin?: WordOrigin;
}

/** `text_layer`: read from the PDF's own text; `ocr`: recognized from pixels. */
export type WordOrigin = 'text_layer' | 'ocr';

/** How a page was read: its text layer alone, OCR alone, or the text layer plus OCR of its image regions. */
export type PageSource = 'text_layer' | 'ocr' | 'mixed';

export interface Line {
  text: string;
  confidence: number;
  quad: Quad;
  words: Word[];
}

export type BlockKind = 'paragraph' | 'heading' | 'table' | 'list';

export interface Block {
  kind: BlockKind;
  quad: Quad;
  /** Lines in reading order. For `table`, each line is one cell's text in row-major order. */
  lines: Line[];
  /** For `table`: the grid, rows of cells, each cell a list of indexes into `lines`. */
  table?: { rows: number[][][] };
}

/** Whole-page rotation that was detected and undone, in degrees clockwise. */
export type Rotation = 0 | 90 | 180 | 270;

export interface OcrPage {
  width: number;
  height: number;
  /** Render resolution for PDF pages; the image's own (or 72 when unknown) for images. */
  dpi: number;
  /** How far the source page was rotated clockwise; quads are in the source page's pixels. */
  rotation: Rotation;
  /** How the page was read. Absent on rows older than it (they were all OCR'd). */
  source?: PageSource;
  /**
   * Why the page was not (only) read from its text layer (`scanned_page`, `unmapped_glyphs`,
   * `image_regions`, `force_ocr`, …); absent for `text_layer` pages and for images.
   */
  sourceReason?: string;
  /** Blocks in reading order. */
  blocks: Block[];
  /** Engine timings in milliseconds, by stage. */
  timings?: Record<string, number>;
}
