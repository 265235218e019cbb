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

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * Simple Markdown: headings as `##`, paragraphs as text lines, list lines kept as written, tables
 * as pipe tables (first row as header). Blocks are separated by a blank line.
 */
export function pageToMarkdown(page: Pick<OcrPage, 'blocks'>): string {
  const parts: string[] = [];
  for (const block of page.blocks) {
    const lines = block.lines.map((l) => l.text).filter((t) => t !== '');
    switch (block.kind) {
      case 'heading':
        if (lines.length > 0) parts.push(`## ${lines.join(' ')}`);
        break;
      case 'table': {
        const rows = tableRows(block);
        const cols = Math.max(1, ...rows.map((r) => r.length));
        const fmt = (r: string[]) => `| ${Array.from({ length: cols }, (_, i) => escapeCell(r[i] ?? '')).join(' | ')} |`;
        const [head = [], ...body] = rows;
        parts.push([fmt(head), `|${' --- |'.repeat(cols)}`, ...body.map(fmt)].join('\n'));
        break;
      }
      case 'list':
        // Bullets become Markdown's `- `; enumerated items (`1.`, `(a)`) stay as written.
        if (lines.length > 0) parts.push(lines.map((l) => l.replace(/^[•·▪◦●■□➢►*\-–—]\s*/u, '- ')).join('\n'));
        break;
      default:
        if (lines.length > 0) parts.push(lines.join('\n'));
    }
  }
  return parts.join('\n\n');
}
