/**
 * The layout stage: recognized lines in, blocks in reading order out. Pure geometry, no models.
 */
import type { Block, Line } from '../page.ts';
import { leafToBlocks } from './blocks.ts';
import { boxHeight, median } from '../geometry/index.ts';
import { fontSizeOf } from './ink-extent.ts';
import { estimateFrame, makeFragments } from './fragments.ts';
import { readingOrder } from './reading-order.ts';
import { medianFragmentHeight } from './rows.ts';

export { aggregate, type AggregationLevel, type TextElement } from './aggregate.ts';

/**
 * Groups recognized `lines` (any order, page pixels) into blocks in reading order.
 *
 * - Detector boxes that bridge a wide gap are split at it; fragments of one visual row are merged
 *   back into one line (words in x order) unless the row crosses a column gutter.
 * - Columns are read one after another only where they hold running text; forms, receipts and
 *   tables are read row by row, so a price stays on its item's line.
 * - Rows aligned in three or more columns become a `table` block (cells row-major).
 * - Lines group into paragraphs by spacing, height and alignment; short, tall, lone lines are
 *   `heading`s, runs of bulleted lines `list`s.
 *
 * All thresholds are relative to the page's median line height; a page rotated or skewed as a whole
 * is handled in a frame aligned with its dominant text direction. `size` is the page in pixels.
 */
export function layoutPage(lines: readonly Line[], size: { width: number; height: number }): Block[] {
  const frame = estimateFrame(lines, size);
  const frags = makeFragments(lines, frame);
  if (frags.length === 0) return [];
  const h = medianFragmentHeight(frags, 1);
  const fontSize = median(
    frags.map((f) => fontSizeOf(f, boxHeight(f.box))),
    h,
  );
  return readingOrder(frags, h).flatMap((leaf) => leafToBlocks(leaf, frame, h, fontSize));
}
