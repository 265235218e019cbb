import type { Block, Line } from '@folio/ocr';

/** Text of one table cell: its lines joined by a space. */
export function cellText(block: Block, cell: readonly number[]): string {
  return cell
    .map((i) => block.lines[i]?.text ?? '')
    .filter((t) => t !== '')
    .join(' ');
}

/** Lines of one table cell, skipping indexes that point nowhere. */
export function cellLines(block: Block, cell: readonly number[]): Line[] {
  return cell.flatMap((i) => {
    const line = block.lines[i];
    return line ? [line] : [];
  });
}

/** Number of columns of a table grid (its widest row). */
export function columnCount(rows: readonly (readonly unknown[])[]): number {
  return rows.reduce((max, row) => Math.max(max, row.length), 0);
}

/** True when the block has a usable grid (at least one row with one cell). */
export function hasGrid(block: Block): block is Block & { table: { rows: number[][][] } } {
  return block.kind === 'table' && block.table !== undefined && columnCount(block.table.rows) > 0;
}

/** Plain text of a block: table rows as tab-separated cells, other blocks one line per line. */
export function blockText(block: Block): string {
  if (hasGrid(block)) return block.table.rows.map((row) => row.map((cell) => cellText(block, cell)).join('\t')).join('\n');
  return block.lines.map((l) => l.text).join('\n');
}
