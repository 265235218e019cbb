/**
 * Table finding inside a row-major leaf: a run of consecutive rows whose cells line up in at least
 * three shared columns. Two aligned columns are a key/value list (receipts, forms) and stay lines.
 */
import { type Interval, mergeIntervals } from './geometry.ts';
import type { Fragment } from './fragments.ts';

/** Thresholds; lengths in multiples of the page's median line height. */
export const TABLE_RULES = {
  minRows: 3,
  minColumns: 3,
  /** Narrowest whitespace between two table columns. */
  columnGap: 0.4,
  /** Widest blank between two rows of one table. */
  rowGap: 2,
  /** Least share of the grid's cells that hold text. */
  minFill: 0.6,
  /** Least share of rows with text in at least `minColumns` cells. */
  minWideRows: 0.5,
} as const;

/** A stretch of a leaf: plain rows, or a table whose `cells[r][c]` are the fragments in that cell. */
export type Segment = { kind: 'rows'; rows: Fragment[][] } | { kind: 'table'; cells: Fragment[][][] };

/** Column intervals of `rows`: x-projection runs joined across gaps narrower than `gap` pixels. */
function columnsOf(rows: readonly Fragment[][], gap: number): Interval[] {
  const proj = mergeIntervals(rows.flat().map((f) => ({ a: f.box.x0, b: f.box.x1 })));
  const cols: Interval[] = [];
  for (const iv of proj) {
    const last = cols[cols.length - 1];
    if (last && iv.a - last.b < gap) last.b = Math.max(last.b, iv.b);
    else cols.push({ ...iv });
  }
  return cols;
}

function cellsOf(rows: readonly Fragment[][], cols: readonly Interval[]): Fragment[][][] {
  return rows.map((row) => cols.map((c) => row.filter((f) => f.box.x0 >= c.a && f.box.x1 <= c.b)));
}

function filled(cells: readonly Fragment[][][]): number {
  return cells.reduce((n, row) => n + row.filter((c) => c.length > 0).length, 0);
}

const top = (row: readonly Fragment[]): number => Math.min(...row.map((f) => f.box.y0));
const bottom = (row: readonly Fragment[]): number => Math.max(...row.map((f) => f.box.y1));

/** Splits a leaf's rows into plain stretches and tables, keeping their order. `h`: median line height, px. */
export function findTables(rows: readonly Fragment[][], h: number): Segment[] {
  const out: Segment[] = [];
  const plain: Fragment[][] = [];
  const flush = () => {
    if (plain.length) out.push({ kind: 'rows', rows: plain.splice(0) });
  };
  let i = 0;
  while (i < rows.length) {
    const run = tableRunAt(rows, i, h);
    if (run) {
      flush();
      out.push({ kind: 'table', cells: run.cells });
      i += run.length;
    } else {
      plain.push(rows[i] as Fragment[]);
      i++;
    }
  }
  flush();
  return out;
}

/** The longest table starting at row `i`, or null. */
function tableRunAt(rows: readonly Fragment[][], i: number, h: number): { length: number; cells: Fragment[][][] } | null {
  const first = rows[i];
  if (!first || first.length < 2) return null;
  const gap = TABLE_RULES.columnGap * h;
  let best: { length: number; cells: Fragment[][][] } | null = null;
  let ncols = columnsOf([first], gap).length;
  for (let k = i + 1; k < rows.length; k++) {
    const row = rows[k] as Fragment[];
    const prev = rows[k - 1] as Fragment[];
    if (row.length < 2 || top(row) - bottom(prev) > TABLE_RULES.rowGap * h) break;
    const run = rows.slice(i, k + 1);
    const cols = columnsOf(run, gap);
    // A cell bridging two columns means the grid ended (or never was one).
    if (cols.length < ncols) break;
    ncols = cols.length;
    if (run.length < TABLE_RULES.minRows || cols.length < TABLE_RULES.minColumns) continue;
    const cells = cellsOf(run, cols);
    // Most rows must fill several columns: a form has a wide row or two among label/value pairs.
    const wide = cells.filter((r) => r.filter((c) => c.length > 0).length >= TABLE_RULES.minColumns).length;
    if (filled(cells) >= TABLE_RULES.minFill * run.length * cols.length && wide >= TABLE_RULES.minWideRows * run.length) {
      best = { length: run.length, cells };
    }
  }
  return best;
}
