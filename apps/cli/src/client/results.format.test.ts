import { describe, expect, it } from 'vitest';
import { formatResult, markdownToText } from './results.format.ts';

describe('result formats', () => {
  it('turns page Markdown back into plain lines', () => {
    const md = ['# Invoice 4711', '', 'Dear customer', '\\# not a heading', '', '- first item', '- second', '', '| Item | Price |', '| --- | --- |', '| Tea \\| cake | 3.50 |'].join('\n');
    expect(markdownToText(md)).toBe(['Invoice 4711', '', 'Dear customer', '# not a heading', '', 'first item', 'second', '', 'Item\tPrice', 'Tea | cake\t3.50'].join('\n'));
  });

  it('separates pages by a form feed (text) or --- (markdown); JSON carries progress and the OCR answer', () => {
    const ocr = { id: 'x', model: 'm', pages: [{ index: 0, markdown: '# A', images: [], dimensions: null }, { index: 1, markdown: 'B', images: [], dimensions: null }], usage_info: { pages_processed: 2, doc_size_bytes: 1 } };
    const progress = { file_id: 'x', status: 'complete' as const, pages_total: 2, pages_done: 2, pages_failed: 0, failed_pages: [], error: null };
    const file = { id: 'x', filename: 'a.pdf' };
    expect(formatResult('text', file, progress, ocr)).toBe('A\n\fB\n');
    expect(formatResult('markdown', file, progress, ocr)).toBe('# A\n\n---\n\nB\n');
    expect(JSON.parse(formatResult('json', file, progress, ocr))).toEqual({ id: 'x', filename: 'a.pdf', progress, ocr });
  });
});
