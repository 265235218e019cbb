/**
 * Reading order by a recursive XY-cut over whitespace, tuned so that only real text columns are
 * read column by column; forms, receipts and tables are read row by row, as people (and
 * `pdftotext -layout`) read them.
 *
 * In a region:
 *  0. Section cut: blank horizontal bands taller than paragraph spacing split the region first.
 *  1. Column cut: vertical whitespace channels that run the region's full height split it into
 *     slabs; a channel is a column gutter only when the slabs on both sides look like running text
 *     (several rows, wide, well filled). Each column is ordered on its own, left to right.
 *  2. Otherwise, horizontal whitespace bands cut it into stripes. Consecutive stripes that keep a
 *     common vertical channel are regrouped (a multi-column body whose lines happen to align must
 *     not be sliced row by row) and each group is ordered on its own, top to bottom.
 *  3. A region with neither is a leaf read row-major.
 * Full-width elements (titles, a figure caption spanning columns) block the channel, so they end
 * up as their own stripe between the column sections above and below them. What leads into such an
 * element (a table's title and header row, short enough to fit between the gutters) goes with it
 * when it is set off from the columns and does not read as their running text.
 */
import {
  type Interval,
  complementIntervals,
  intersectIntervals,
  mergeIntervals,
  quantile,
  unionBoxes,
} from '../geometry/index.ts';
import type { Fragment } from './fragments.ts';
import { groupRows } from './rows.ts';

/** Thresholds, all in multiples of the page's median line height. */
export const ORDER_RULES = {
  /** Narrowest whitespace channel that can separate columns. */
  gutterMin: 0.4,
  /** Narrowest text column (8 line heights: a narrow magazine column of some 16 characters). */
  columnMinWidth: 8,
  /** Fewest rows a text column has. */
  columnMinRows: 6,
  /** Share of a column's width its median row's widest fragment covers: running text fills its column… */
  columnMinFill: 0.75,
  /** …and even its shorter rows (lower quartile) keep half of it, unlike an address or a form. */
  columnMinLowFill: 0.5,
  /** Widest gap between two pieces of one line of running text. */
  wordGapMax: 1,
  /** A blank band across a whole region at least this tall separates sections, read one after the other. */
  sectionBand: 1.5,
  /** Height of a stripe group after which closing one of its channels ends the group. */
  establishedChannel: 3,
  /** Widest blank band between stripes that are still regrouped into one column section. */
  sectionGapMax: 2.5,
  /**
   * Blank band above the stripes that lead into a spanning element (a table's title and header
   * row): wider than the leading between lines of running text, as wide as a paragraph break.
   */
  leadInGap: 0.75,
  /** Deepest indent from its column's left edge at which a line still continues running text (paragraph indents, bullets). */
  columnIndentMax: 2,
} as const;

/** A run of rows read top to bottom: one text column, or a row-major region. */
export interface Leaf {
  rows: Fragment[][];
}

interface Ctx {
  /** Median line height, pixels. */
  h: number;
}

/** Orders `frags` into leaves in reading order; `h` is the page's median line height in pixels. */
export function readingOrder(frags: readonly Fragment[], h: number): Leaf[] {
  if (frags.length === 0) return [];
  return order([...frags], { h: Math.max(1, h) }).leaves;
}

interface Ordered {
  leaves: Leaf[];
  /** True when the region became a single row-major leaf that may run on into its neighbours. */
  flat: boolean;
}

function order(frags: Fragment[], ctx: Ctx): Ordered {
  if (frags.length <= 1) return { leaves: [{ rows: frags.length ? [frags] : [] }], flat: true };
  const stripes = horizontalStripes(frags);
  const sections = splitSections(stripes, ctx);
  if (sections.length > 1) return stack(sections.map((s) => order(s, ctx)));
  const columns = columnCut(frags, ctx);
  if (columns) return { leaves: columns.flatMap((c) => order(c, ctx).leaves), flat: false };
  if (stripes.length === 1) return { leaves: [{ rows: groupRows(frags) }], flat: true };
  const groups = groupStripes(stripes, ctx);
  // All stripes share a channel, yet no column cut held: the channel is a form's or table's gap.
  const parts = groups.length === 1 ? stripes : groups.map((g) => g.flat());
  return stack(parts.map((p) => order(p, ctx)));
}

/** Concatenates vertically stacked results; adjacent row-major leaves become one leaf. */
function stack(results: readonly Ordered[]): Ordered {
  const leaves: Leaf[] = [];
  let prevFlat = false;
  for (const r of results) {
    const last = leaves[leaves.length - 1];
    const only = r.leaves.length === 1 ? r.leaves[0] : undefined;
    if (r.flat && prevFlat && last && only) last.rows.push(...only.rows);
    else leaves.push(...r.leaves);
    prevFlat = r.flat;
  }
  return { leaves, flat: results.every((r) => r.flat) };
}

/**
 * Cuts at blank bands across the whole region that are wider than any line or paragraph spacing:
 * a masthead above a column body, a section below it. They are cut before columns are looked for,
 * so a header over one column is not read as that column's start.
 */
function splitSections(stripes: readonly Fragment[][], ctx: Ctx): Fragment[][] {
  const out: Fragment[][] = [];
  let bottom = -Infinity;
  for (const s of stripes) {
    const top = Math.min(...s.map((f) => f.box.y0));
    const cur = out[out.length - 1];
    if (cur && top - bottom < ORDER_RULES.sectionBand * ctx.h) cur.push(...s);
    else out.push([...s]);
    // Stripes come top to bottom without overlapping, so the lowest edge so far is this one's.
    bottom = Math.max(bottom, ...s.map((f) => f.box.y1));
  }
  return out;
}

/** Stripes between blank horizontal bands, top to bottom. */
function horizontalStripes(frags: readonly Fragment[]): Fragment[][] {
  const sorted = [...frags].sort((p, q) => p.box.y0 - q.box.y0 || p.box.x0 - q.box.x0 || p.id - q.id);
  const stripes: Fragment[][] = [];
  let bottom = -Infinity;
  for (const f of sorted) {
    const cur = stripes[stripes.length - 1];
    if (cur && f.box.y0 < bottom) {
      cur.push(f);
      bottom = Math.max(bottom, f.box.y1);
    } else {
      stripes.push([f]);
      bottom = f.box.y1;
    }
  }
  return stripes;
}

function xProjection(frags: readonly Fragment[]): Interval[] {
  return mergeIntervals(frags.map((f) => ({ a: f.box.x0, b: f.box.x1 })));
}

/** Channels inside `extent` (not touching its ends) at least `min` wide. */
function interiorChannels(free: readonly Interval[], extent: Interval, min: number): Interval[] {
  return free.filter((iv) => iv.a > extent.a && iv.b < extent.b && iv.b - iv.a >= min);
}

/**
 * Regroups consecutive stripes while they keep a common vertical whitespace channel inside their
 * joint extent, no stripe closes a channel the group has long kept, and the blank band between
 * them is not a section break.
 */
function groupStripes(stripes: readonly Fragment[][], ctx: Ctx): Fragment[][][] {
  const lo = Math.min(...stripes.flat().map((f) => f.box.x0));
  const hi = Math.max(...stripes.flat().map((f) => f.box.x1));
  const free = (s: readonly Fragment[]) => complementIntervals(xProjection(s), lo, hi);
  const min = ORDER_RULES.gutterMin * ctx.h;
  const groups: Fragment[][][] = [];
  let channel: Interval[] = [];
  let extent: Interval = { a: 0, b: 0 };
  let top = 0;
  let bottom = 0;
  for (const s of stripes) {
    const box = unionBoxes(s.map((f) => f.box));
    const cur = groups[groups.length - 1];
    if (cur) {
      const nextChannel = intersectIntervals(channel, free(s));
      const nextExtent = { a: Math.min(extent.a, box.x0), b: Math.max(extent.b, box.x1) };
      const gap = box.y0 - bottom;
      const kept = interiorChannels(nextChannel, nextExtent, min).length;
      // A stripe that closes a channel the group has kept for a while is a spanning element
      // (a table, a wide figure caption): it starts a new group. Early on, closing is allowed, as
      // two rows may share a gap by chance.
      const established = bottom - top >= ORDER_RULES.establishedChannel * ctx.h;
      const closes = established && kept < interiorChannels(channel, extent, min).length;
      if (gap <= ORDER_RULES.sectionGapMax * ctx.h && kept > 0 && !closes) {
        cur.push(s);
        channel = nextChannel;
        extent = nextExtent;
        bottom = Math.max(bottom, box.y1);
        continue;
      }
      if (closes) {
        // The spanning element takes along the stripes that lead into it (its title, a header row
        // whose short cells happen to fit between the columns' gutters) rather than leave them to
        // be read as the ends of the columns above.
        const lead = leadIn(cur, columnsOf(channel, extent, min), ctx);
        if (lead.length > 0) {
          groups.push([...lead, s]);
          ({ channel, extent, top, bottom } = groupState([...lead, s], free));
          continue;
        }
      }
    }
    groups.push([s]);
    channel = free(s);
    extent = { a: box.x0, b: box.x1 };
    top = box.y0;
    bottom = box.y1;
  }
  return groups;
}

/** Channel, extent and vertical span of a group of stripes, as {@link groupStripes} keeps them. */
function groupState(
  stripes: readonly Fragment[][],
  free: (s: readonly Fragment[]) => Interval[],
): { channel: Interval[]; extent: Interval; top: number; bottom: number } {
  const box = unionBoxes(stripes.flat().map((f) => f.box));
  let channel = free(stripes[0] as Fragment[]);
  for (const s of stripes.slice(1)) channel = intersectIntervals(channel, free(s));
  return { channel, extent: { a: box.x0, b: box.x1 }, top: box.y0, bottom: box.y1 };
}

/** The columns between a group's interior channels, left to right. */
function columnsOf(channel: readonly Interval[], extent: Interval, min: number): Interval[] {
  return complementIntervals(interiorChannels(channel, extent, min), extent.a, extent.b);
}

/**
 * Removes from the end of `group` (a column section) and returns the stripes that do not continue
 * its columns' running text, when a blank band as wide as a paragraph break separates them from
 * the rest: what lies between the end of the columns and the spanning element below them.
 * Returns nothing when every trailing stripe reads as column text.
 */
function leadIn(group: Fragment[][], columns: readonly Interval[], ctx: Ctx): Fragment[][] {
  let k = group.length;
  while (k > 1 && !continuesColumns(group[k - 1] as Fragment[], columns, ctx)) k--;
  if (k === group.length) return [];
  const above = Math.max(...group.slice(0, k).flat().map((f) => f.box.y1));
  const below = Math.min(...group.slice(k).flat().map((f) => f.box.y0));
  if (below - above < ORDER_RULES.leadInGap * ctx.h) return [];
  return group.splice(k);
}

/**
 * Whether a stripe reads as more lines of the columns' running text: in each column, each of its
 * rows is one run of words starting at most a paragraph indent from the column's left edge. A
 * table's header row (several cells in a column, or one set off in the middle) or a centred title
 * does not.
 */
function continuesColumns(stripe: readonly Fragment[], columns: readonly Interval[], ctx: Ctx): boolean {
  const gap = ORDER_RULES.wordGapMax * ctx.h;
  return columns.every((col) => {
    const inside = stripe.filter((f) => {
      const c = (f.box.x0 + f.box.x1) / 2;
      return c >= col.a && c <= col.b;
    });
    return groupRows(inside).every((row) => {
      const x0 = Math.min(...row.map((f) => f.box.x0));
      const x1 = Math.max(...row.map((f) => f.box.x1));
      return widestRun(row, gap) >= x1 - x0 && x0 - col.a <= ORDER_RULES.columnIndentMax * ctx.h;
    });
  });
}

/** Splits the region into text columns, or returns null when no gutter separates running text. */
function columnCut(frags: readonly Fragment[], ctx: Ctx): Fragment[][] | null {
  const proj = xProjection(frags);
  if (proj.length < 2) return null;
  const min = ORDER_RULES.gutterMin * ctx.h;
  // Slabs: projection runs joined across gaps too narrow to be gutters.
  const slabs: Interval[] = [];
  for (const iv of proj) {
    const last = slabs[slabs.length - 1];
    if (last && iv.a - last.b < min) last.b = Math.max(last.b, iv.b);
    else slabs.push({ ...iv });
  }
  if (slabs.length < 2) return null;
  const members = slabs.map((s) => frags.filter((f) => f.box.x0 >= s.a && f.box.x1 <= s.b));
  const texty = members.map((m, i) => isTextColumn(m, slabs[i] as Interval, ctx));
  const columns: Fragment[][] = [];
  let cur: Fragment[] = [];
  let cuts = 0;
  members.forEach((m, i) => {
    cur.push(...m);
    if (i < members.length - 1 && texty[i] && texty[i + 1]) {
      columns.push(cur);
      cur = [];
      cuts++;
    }
  });
  columns.push(cur);
  return cuts > 0 ? columns : null;
}

/** Width of the widest run of `row` (sorted by x) whose fragments are at most `gap` px apart. */
function widestRun(row: readonly Fragment[], gap: number): number {
  let best = 0;
  let start = Infinity;
  let end = -Infinity;
  for (const f of row) {
    if (f.box.x0 - end > gap) start = f.box.x0;
    else start = Math.min(start, f.box.x0);
    end = Math.max(end, f.box.x1);
    best = Math.max(best, end - start);
  }
  return best;
}

/**
 * Does this slab read like running text? Enough rows, wide enough for several words per line, and
 * rows that one run of text fills for most of the width. Form labels, prices, addresses and table
 * cells are short or ragged, so their slabs fail and their regions stay row-major.
 */
function isTextColumn(frags: readonly Fragment[], slab: Interval, ctx: Ctx): boolean {
  const width = slab.b - slab.a;
  if (width < ORDER_RULES.columnMinWidth * ctx.h) return false;
  const rows = groupRows(frags);
  if (rows.length < ORDER_RULES.columnMinRows) return false;
  // The widest run of fragments a word space apart (a detector may cut one line into pieces), not
  // the row's total: a table's cells fill a row too, but none alone does.
  const fills = rows.map((r) => widestRun(r, ORDER_RULES.wordGapMax * ctx.h) / width);
  return quantile(fills, 0.5) >= ORDER_RULES.columnMinFill && quantile(fills, 0.25) >= ORDER_RULES.columnMinLowFill;
}
