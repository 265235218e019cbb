import type { Block, OcrPage } from '../page.ts';

/** Rows of a table block as lists of cell texts (cells with several lines joined by spaces). */
function tableRows(block: Block): string[][] {
  const rows = block.table?.rows ?? block.lines.map((_, i) => [[i]]);
  return rows.map((row) =>
    row.map((cell) =>
      cell
        .map((i) => block.lines[i]?.text ?? '')
        .filter((t) => t !== '')
        .join(' '),
    ),
  );
}

/**
 * Plain text of a page: one text line per output line, in reading order. A table prints one row
 * per line, cells separated by a space.
 */
export function pageToText(page: Pick<OcrPage, 'blocks'>): string {
  const out: string[] = [];
  for (const block of page.blocks) {
    if (block.kind === 'table' && block.table) {
      for (const row of tableRows(block)) {
        const text = row.filter((c) => c !== '').join(' ');
        if (text !== '') out.push(text);
      }
    } else {
      for (const line of block.lines) if (line.text !== '') out.push(line.text);
    }
  }
  return out.join('\n');
}
