import type { Block, OcrPage, Quad } from '@folio/ocr';
import { boundsOf, mean, pixelBox, type Bounds } from '@folio/ocr/geometry';
import { blockText, cellLines, cellText, columnCount, hasGrid } from '../common/text.ts';

/** One table cell as stored in `Prediction.cells`. Rows and columns count from 1, as Nanonets does. */
export interface NanonetsCellRecord {
  row: number;
  col: number;
  label: string;
  /** Integer page pixels. */
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** 0..1; 0 for an empty cell. */
  score: number;
  text: string;
}

/** A Nanonets box ready for a `Prediction` row (source `model`). */
export interface PredictionRecord {
  label: string;
  type: 'field' | 'table';
  /** Integer page pixels, clamped to the page. */
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** 0..1. */
  score: number;
  ocrText: string;
  /** Zero-based page index in the file. */
  pageNo: number;
  /** Only for `table`. */
  cells: NanonetsCellRecord[] | null;
}

/** Label of text predictions. OCR models have no extraction labels, so every text line is `text`. */
export const NANONETS_TEXT_LABEL = 'text';
/** Label of table predictions. */
export const NANONETS_TABLE_LABEL = 'table';
/** Label of table cells. */
export const NANONETS_CELL_LABEL = 'cell';

export interface PredictionOptions {
  /** Label for a text line's prediction. @defaultValue always `text` */
  labelFor?: (block: Block) => string;
}

function tableCells(block: Block & { table: { rows: number[][][] } }, width: number, height: number): NanonetsCellRecord[] {
  const rows = block.table.rows;
  const cols = columnCount(rows);
  const cellBounds = rows.map((row) => row.map((cell) => boundsOf(cellLines(block, cell).map((l) => l.quad))));
  // An empty cell has no lines; its box is borrowed from its row's height and its column's width.
  const rowSpan = cellBounds.map((row) => boundsOf(row.flatMap((b) => (b ? [asQuad(b)] : []))));
  const colSpan = Array.from({ length: cols }, (_, c) => boundsOf(cellBounds.flatMap((row) => (row[c] ? [asQuad(row[c])] : []))));
  const table = boundsOf([block.quad]) as Bounds;
  const out: NanonetsCellRecord[] = [];
  rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) {
      const cell = row[c] ?? [];
      const own = cellBounds[r]?.[c];
      const b: Bounds = own ?? {
        xmin: colSpan[c]?.xmin ?? table.xmin,
        xmax: colSpan[c]?.xmax ?? table.xmax,
        ymin: rowSpan[r]?.ymin ?? table.ymin,
        ymax: rowSpan[r]?.ymax ?? table.ymax,
      };
      const lines = cellLines(block, cell);
      out.push({
        row: r + 1,
        col: c + 1,
        label: NANONETS_CELL_LABEL,
        ...pixelBox(b, width, height),
        score: mean(lines.map((l) => l.confidence)),
        text: cellText(block, cell),
      });
    }
  });
  return out;
}

const asQuad = (b: Bounds): Quad => [
  [b.xmin, b.ymin],
  [b.xmax, b.ymin],
  [b.xmax, b.ymax],
  [b.xmin, b.ymax],
];

/**
 * Nanonets predictions of one canonical page, in reading order, for the worker to store: one
 * `field` per text line (label `text`, its text and confidence) and one `table` per table block
 * with a grid (label `table`, rows as tab-separated text, every cell in `cells`). A table block
 * without a grid yields its lines as fields. Boxes are integer page pixels.
 */
export function predictionsFromPage(page: OcrPage, pageNo: number, options: PredictionOptions = {}): PredictionRecord[] {
  const labelFor = options.labelFor ?? (() => NANONETS_TEXT_LABEL);
  const out: PredictionRecord[] = [];
  for (const block of page.blocks) {
    if (hasGrid(block)) {
      out.push({
        label: NANONETS_TABLE_LABEL,
        type: 'table',
        ...pixelBox(boundsOf([block.quad]) as Bounds, page.width, page.height),
        score: mean(block.lines.map((l) => l.confidence)),
        ocrText: blockText(block),
        pageNo,
        cells: tableCells(block, page.width, page.height),
      });
      continue;
    }
    for (const line of block.lines) {
      if (line.text.trim() === '') continue;
      out.push({
        label: labelFor(block),
        type: 'field',
        ...pixelBox(boundsOf([line.quad]) as Bounds, page.width, page.height),
        score: line.confidence,
        ocrText: line.text,
        pageNo,
        cells: null,
      });
    }
  }
  return out;
}
