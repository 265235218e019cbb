import type { Span } from './extraction.candidates.ts';
import type { LineBox, PageContext } from './extraction.features.ts';

/**
 * Features of where a candidate's lines start and stop, from line geometry alone: the vertical
 * gaps above its first line and below its last against the widest gap inside it, and how alike
 * (font height, left edge, centre) its lines are to each other and to the lines just outside it.
 * A printed block (an address, a heading of two lines) is set in one size and alignment with
 * narrow gaps, so a run of lines that stops one line short or runs one line too far differs from
 * the true block only here. Which categories that speaks for is left to the learner.
 */

/** Gaps and differences are clipped to this many median word heights (or page widths ×10). */
const CLIP = 4;

const clip = (x: number) => Math.max(-CLIP, Math.min(CLIP, x)) / CLIP;
/** Smaller over larger: 1 for equal heights, towards 0 for very different ones. */
const likeness = (a: number, b: number) => (a > 0 && b > 0 ? Math.min(a, b) / Math.max(a, b) : 0);

export const BOUNDARY_FEATURES = 12;

export function boundaryFeatures(ctx: PageContext, spans: readonly Span[]): number[][] {
  const lines = ctx.lineBoxes;
  const centre = (b: LineBox) => (b.left + b.right) / 2;
  const h = Math.max(1, ctx.medianHeight);
  /** Vertical gap between line `l` and the next, in median word heights (null past the page). */
  const gapAfter = lines.map((l, i) => {
    const next = lines[i + 1];
    return l && next ? (next.top - l.bottom) / h : null;
  });
  return spans.map((s) => {
    const first = lines[s.firstLine];
    const last = lines[s.lastLine];
    const above = lines[s.firstLine - 1];
    const below = lines[s.lastLine + 1];
    let inside = -CLIP;
    let minHeight = Infinity;
    let maxHeight = 0;
    let minLeft = Infinity;
    let maxLeft = -Infinity;
    let minCentre = Infinity;
    let maxCentre = -Infinity;
    for (let l = s.firstLine; l <= s.lastLine; l++) {
      const box = lines[l];
      if (l < s.lastLine) inside = Math.max(inside, gapAfter[l] ?? -CLIP);
      if (!box) continue;
      minHeight = Math.min(minHeight, box.height);
      maxHeight = Math.max(maxHeight, box.height);
      minLeft = Math.min(minLeft, box.left);
      maxLeft = Math.max(maxLeft, box.left);
      minCentre = Math.min(minCentre, centre(box));
      maxCentre = Math.max(maxCentre, centre(box));
    }
    const gapAbove = above ? (gapAfter[s.firstLine - 1] ?? CLIP) : CLIP;
    const gapBelow = below ? (gapAfter[s.lastLine] ?? CLIP) : CLIP;
    const single = s.firstLine === s.lastLine;
    const width = ctx.width / 10;
    return [
      clip(gapAbove),
      clip(gapBelow),
      single ? 0 : clip(inside),
      single ? 0 : clip(gapAbove - inside),
      single ? 0 : clip(gapBelow - inside),
      above && first ? likeness(above.height, first.height) : 0,
      below && last ? likeness(below.height, last.height) : 0,
      single ? 1 : likeness(minHeight, maxHeight),
      single ? 0 : clip((maxLeft - minLeft) / width),
      single ? 0 : clip((maxCentre - minCentre) / width),
      above && first ? clip(Math.min(Math.abs(above.left - first.left), Math.abs(centre(above) - centre(first))) / width) : 1,
      below && last ? clip(Math.min(Math.abs(below.left - last.left), Math.abs(centre(below) - centre(last))) / width) : 1,
    ];
  });
}
