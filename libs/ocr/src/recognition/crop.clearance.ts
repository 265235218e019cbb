import { overlapX, overlapY, quadToBox } from '../geometry/index.ts';
import type { Quad } from '../page.ts';

/** Margin of one crop, px on each side: across the text (top and bottom) and along it (left and right). */
export interface CropMargin {
  across: number;
  along: number;
}

/** Boxes at least this many times longer than thick get a margin: lines and words, not lone glyphs. */
const ELONGATED = 2;

/**
 * The margin each box's crop may take: `share` × the box's thickness on every side, but never more
 * than half the free paper between it and the nearest box facing that side (above or below when
 * they overlap horizontally, left or right when they overlap vertically), so a crop of dense print
 * does not reach into the next line's strokes. Boxes that touch or overlap a neighbour get no margin
 * on that axis, and near-square boxes (lone glyphs) none at all. Bounds are axis-aligned, enough for the near-upright boxes of a page read upright.
 */
export function cropMargins(quads: readonly Quad[], share: number): CropMargin[] {
  if (share <= 0) return quads.map(() => ({ across: 0, along: 0 }));
  const boxes = quads.map(quadToBox);
  return boxes.map((a, i) => {
    const thickness = Math.min(a.x1 - a.x0, a.y1 - a.y0);
    // A lone glyph's box (near square) already has a line's margins (growGlyphBoxes); more paper
    // makes the glyph look smaller, and a table's lone 0 read as a lower-case o.
    if (Math.max(a.x1 - a.x0, a.y1 - a.y0) < ELONGATED * thickness) return { across: 0, along: 0 };
    const want = share * thickness;
    let across = want;
    let along = want;
    boxes.forEach((b, j) => {
      if (j === i) return;
      const ox = overlapX(a, b);
      const oy = overlapY(a, b);
      if (ox > 0 && oy > 0) {
        // Overlapping boxes: no paper between them on the axis they share least.
        if (ox < oy) along = 0;
        else across = 0;
      } else if (ox > 0) across = Math.min(across, Math.max(0, (Math.max(b.y0 - a.y1, a.y0 - b.y1)) / 2));
      else if (oy > 0) along = Math.min(along, Math.max(0, (Math.max(b.x0 - a.x1, a.x0 - b.x1)) / 2));
    });
    return { across, along };
  });
}
