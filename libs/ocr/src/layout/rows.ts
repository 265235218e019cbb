/**
 * Groups fragments into visual rows: fragments that share most of their height and do not sit on
 * top of each other. Rows come back top to bottom, fragments in each row left to right.
 */
import { type Box, boxHeight, boxWidth, centerY, median, overlapX, overlapY } from '../geometry/index.ts';
import type { Fragment } from './fragments.ts';

/** Share of the smaller height two fragments must overlap by to be on one row. */
const ROW_OVERLAP = 0.5;
/** Centres closer than this share of the smaller height are level with each other. */
const LEVEL = 0.25;

interface RowAcc {
  frags: Fragment[];
  /** Mean top and bottom of the members: a band that one tall member cannot stretch. */
  band: Box;
}

function bandOf(frags: readonly Fragment[]): Box {
  const n = frags.length;
  let y0 = 0;
  let y1 = 0;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const f of frags) {
    y0 += f.box.y0;
    y1 += f.box.y1;
    x0 = Math.min(x0, f.box.x0);
    x1 = Math.max(x1, f.box.x1);
  }
  return { x0, x1, y0: y0 / n, y1: y1 / n };
}

/** Rows of `frags`, top to bottom, each sorted left to right. */
export function groupRows(frags: readonly Fragment[]): Fragment[][] {
  const sorted = [...frags].sort((p, q) => p.box.y0 + p.box.y1 - (q.box.y0 + q.box.y1) || p.box.x0 - q.box.x0 || p.id - q.id);
  const rows: RowAcc[] = [];
  const tallest = Math.max(...frags.map((f) => boxHeight(f.box)));
  for (const f of sorted) {
    const h = boxHeight(f.box);
    let best: RowAcc | undefined;
    let bestScore = 0;
    // Rows were opened in centre order: scan back from the newest until they lie far above.
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i] as RowAcc;
      if (r.band.y1 + tallest < f.box.y0) break;
      if (r.band.y1 < f.box.y0) continue;
      const ov = overlapY(f.box, r.band) / Math.max(1e-6, Math.min(h, boxHeight(r.band)));
      if (ov < ROW_OVERLAP || ov <= bestScore) continue;
      // Fragments that share x are two rows when stacked (tight leading, tall boxes), but one row
      // when level: a detector's duplicate or a noise speck inside a line.
      const stacked = r.frags.some(
        (m) =>
          overlapX(m.box, f.box) > 0.25 * Math.min(boxWidth(m.box), boxWidth(f.box)) &&
          Math.abs(centerY(m.box) - centerY(f.box)) > LEVEL * Math.min(boxHeight(m.box), h),
      );
      if (stacked) continue;
      best = r;
      bestScore = ov;
    }
    if (best) {
      best.frags.push(f);
      best.band = bandOf(best.frags);
    } else rows.push({ frags: [f], band: bandOf([f]) });
  }
  rows.sort((p, q) => p.band.y0 + p.band.y1 - (q.band.y0 + q.band.y1));
  return rows.map((r) => r.frags.sort((p, q) => p.box.x0 - q.box.x0 || p.id - q.id));
}

/** Median height of the fragments' layout-frame boxes, in pixels. */
export function medianFragmentHeight(frags: readonly Fragment[], fallback: number): number {
  return median(
    frags.map((f) => boxHeight(f.box)),
    fallback,
  );
}
