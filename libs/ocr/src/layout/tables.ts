/**
 * Table finding inside a row-major leaf: a run of consecutive rows whose cells line up in at least
 * three shared columns. Two aligned columns are a key/value list (receipts, forms) and stay lines.
 */
import { type Interval, mergeIntervals } from '../geometry/index.ts';
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

function cellsOf(rows: readonly Fragment[][], cols: readonly Interval[]): Fragment[][][] {
  return rows.map((row) => cols.map((c) => row.filter((f) => f.box.x0 >= c.a && f.box.x1 <= c.b)));
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

/** `cols` with the fragments of `row` added: intervals joined across gaps narrower than `gap` px. */
function addRow(cols: readonly Interval[], row: readonly Fragment[], gap: number): Interval[] {
  const merged = mergeIntervals([...cols, ...row.map((f) => ({ a: f.box.x0, b: f.box.x1 }))]);
  const out: Interval[] = [];
  for (const iv of merged) {
    const last = out[out.length - 1];
    if (last && iv.a - last.b < gap) last.b = Math.max(last.b, iv.b);
    else out.push({ ...iv });
  }
  return out;
}

/** How many distinct columns the fragments of `row` fall in. */
function columnsHit(cols: readonly Interval[], row: readonly Fragment[]): number {
  return new Set(row.map((f) => cols.findIndex((c) => f.box.x0 >= c.a && f.box.x1 <= c.b))).size;
}

/**
 * The longest table starting at row `i`, or null. Columns only widen or join as rows are added;
 * the run ends where two join (a cell bridging them), so counts made earlier stay valid and each
 * row is looked at once.
 */
function tableRunAt(rows: readonly Fragment[][], i: number, h: number): { length: number; cells: Fragment[][][] } | null {
  const first = rows[i];
  // A table opens with a row across its columns (its header, usually); this also keeps long
  // two-column lists from being rescanned from every row.
  if (!first || first.length < TABLE_RULES.minColumns) return null;
  const gap = TABLE_RULES.columnGap * h;
  let cols = addRow([], first, gap);
  if (cols.length < TABLE_RULES.minColumns) return null;
  let filledCells = cols.length;
  let wideRows = cols.length >= TABLE_RULES.minColumns ? 1 : 0;
  let best: { length: number; cols: Interval[] } | null = null;
  for (let k = i + 1; k < rows.length; k++) {
    const row = rows[k] as Fragment[];
    const prev = rows[k - 1] as Fragment[];
    if (row.length < 2 || top(row) - bottom(prev) > TABLE_RULES.rowGap * h) break;
    const next = addRow(cols, row, gap);
    // A cell bridging two columns means the grid ended (or never was one).
    if (next.length < cols.length) break;
    cols = next;
    const hit = columnsHit(cols, row);
    filledCells += hit;
    // Most rows must fill several columns: a form has a wide row or two among label/value pairs.
    if (hit >= TABLE_RULES.minColumns) wideRows++;
    const n = k - i + 1;
    if (
      n >= TABLE_RULES.minRows &&
      cols.length >= TABLE_RULES.minColumns &&
      filledCells >= TABLE_RULES.minFill * n * cols.length &&
      wideRows >= TABLE_RULES.minWideRows * n
    ) {
      best = { length: n, cols: cols.map((c) => ({ ...c })) };
    }
  }
  return best ? { length: best.length, cells: cellsOf(rows.slice(i, i + best.length), best.cols) } : null;
}
