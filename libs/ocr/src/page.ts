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
  /** Why `rotation` was chosen (absent on pages from older engines). */
  orientation?: OrientationEvidence;
  /** What the engine noticed it may have missed; absent or empty when nothing looked wrong. */
  warnings?: PageWarning[];
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

/** How one orientation reads the sampled lines. */
export interface ReadingEvidence {
  /** The page rotation this reading assumes, degrees clockwise. */
  rotation: Rotation;
  /** Mean recognizer probability over the sample's characters, 0..1. */
  confidence: number;
  /**
   * Share of the characters that are letters, digits or common punctuation, 0..1: text read upside
   * down comes out as stray marks and symbols (no dictionary involved, so any Latin language works).
   */
  plainShare: number;
}

/**
 * The evidence behind a page's `rotation`. The box geometry proposes 0 or 90 degrees; a turn by a
 * further 180 is only taken when the direction classifier and the recognizer both prefer it over a
 * sample large and varied enough, so an upright page is kept when the evidence is thin.
 */
export interface OrientationEvidence {
  /**
   * `given`: the caller named the rotation; `no-text`: nothing to judge from; `classifier`: the
   * classifier alone found the proposal upright; `recognizer`: both readings were compared;
   * `unsure`: too little or too uniform text, the proposal was kept.
   */
  decidedBy: 'given' | 'no-text' | 'classifier' | 'recognizer' | 'unsure';
  /** What the box geometry proposed: 90 when most elongated boxes run vertically. */
  geometry: 0 | 90;
  /** Lines sampled. */
  lines: number;
  /** Distinct texts among them (a form of twenty "N/A" is one). */
  distinct: number;
  /** Characters read in the sample (the proposed orientation's reading). */
  chars: number;
  /** Share of the sample the direction classifier found upside down, weighted by line length, 0..1. */
  classifierTurned: number;
  /** The recognizer's readings of the sample as proposed and turned 180 degrees, when compared. */
  readings?: [ReadingEvidence, ReadingEvidence];
}

/**
 * A region of dark ink, in source pixels, that no detected line covers: detection may be
 * incomplete there (faint or small print next to large print, a stamp, handwriting).
 */
export interface UncoveredInkWarning {
  kind: 'uncovered-ink';
  quad: Quad;
  /** Ink pixels in the region, as a share of the page's ink outside detected lines and inside them. */
  inkShare: number;
}

export type PageWarning = UncoveredInkWarning;
