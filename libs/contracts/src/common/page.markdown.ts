import type { Block, OcrPage } from '@folio/ocr';
import { cellText, columnCount, hasGrid } from './text.ts';

const bullet = /^\s*[•·▪◦●○■□‣⁃∙*+-]\s+/;
const numbered = /^\s*(\d{1,3}|[a-zA-Z])[.)]\s+/;

/** Keeps a leading `#`, `>` or `|` of recognised text from turning a paragraph into markup. */
function escapeLineStart(text: string): string {
  return text.replace(/^(\s*)([#>|])/, '$1\\$2');
}

/** One pipe-table cell: pipes escaped, line breaks flattened. */
function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

function tableMarkdown(block: Block & { table: { rows: number[][][] } }): string {
  const cols = columnCount(block.table.rows);
  const rows = block.table.rows.map((row) => {
    const cells = Array.from({ length: cols }, (_, c) => escapeCell(row[c] ? cellText(block, row[c]) : ''));
    return `| ${cells.join(' | ')} |`;
  });
  const rule = `| ${Array.from({ length: cols }, () => '---').join(' | ')} |`;
  // GitHub tables need a header row; the grid's first row plays that part.
  return [rows[0], rule, ...rows.slice(1)].join('\n');
}

function listMarkdown(block: Block): string {
  const items: string[] = [];
  for (const line of block.lines) {
    const text = line.text.trim();
    if (text === '') continue;
    if (bullet.test(text)) items.push(`- ${text.replace(bullet, '')}`);
    else if (numbered.test(text) || items.length === 0) items.push(text);
    else items[items.length - 1] += ` ${text}`; // a wrapped item continues on the next line
  }
  return items.join('\n');
}

/** Markdown of one block, or '' when it holds no text. */
export function blockToMarkdown(block: Block): string {
  const texts = block.lines.map((l) => l.text.trim()).filter((t) => t !== '');
  if (hasGrid(block)) return tableMarkdown(block);
  if (texts.length === 0) return '';
  switch (block.kind) {
    case 'heading':
      return `# ${texts.join(' ')}`;
    case 'list':
      return listMarkdown(block);
    default:
      // Lines stay on their own lines: still one Markdown paragraph, and the line structure survives.
      return texts.map(escapeLineStart).join('\n');
  }
}

/**
 * The page as Markdown, blocks in reading order separated by a blank line: headings as `# `,
 * paragraphs as their lines, lists as `- ` items, tables with a grid as GitHub pipe tables
 * (first row as header, `|` escaped). A table block without a grid falls back to paragraph lines.
 */
export function pageToMarkdown(page: OcrPage): string {
  return page.blocks
    .map(blockToMarkdown)
    .filter((md) => md !== '')
    .join('\n\n');
}
