import type { FileProgressView, MistralOcrResponse } from '@folio/contracts';

export type ResultFormat = 'text' | 'json' | 'markdown';

/** File name extension per format, for `--out DIR`. */
export const FORMAT_EXTENSION: Record<ResultFormat, string> = { text: 'txt', json: 'json', markdown: 'md' };

/**
 * Plain text from Folio's page Markdown: headings and list markers dropped, table rows as
 * tab-separated cells (rule rows gone), escapes undone. Lines keep their reading order.
 */
export function markdownToText(markdown: string): string {
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line)) continue;
    if (/^\|.*\|$/.test(line)) {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|').replace(/\\\\/g, '\\'));
      lines.push(cells.join('\t'));
      continue;
    }
    lines.push(line.replace(/^# /, '').replace(/^- /, '').replace(/^(\s*)\\([#>|])/, '$1$2'));
  }
  return lines.join('\n');
}

/** One file's output: text pages separated by form feeds, Markdown pages by `---`, or JSON. */
export function formatResult(format: ResultFormat, file: { id: string; filename: string }, progress: FileProgressView, ocr: MistralOcrResponse | null): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ id: file.id, filename: file.filename, progress, ocr })}\n`;
    case 'markdown':
      return `${(ocr?.pages ?? []).map((p) => p.markdown).join('\n\n---\n\n')}\n`;
    case 'text':
      return (ocr?.pages ?? []).map((p) => `${markdownToText(p.markdown)}\n`).join('\f');
  }
}
