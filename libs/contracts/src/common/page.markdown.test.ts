import { describe, expect, it } from 'vitest';
import { block, documentPage, emptyPage, line, rotatedPage } from '../../test/pages.fixture.ts';
import { blockToMarkdown, pageToMarkdown } from './page.markdown.ts';

describe('pageToMarkdown', () => {
  it('renders heading, paragraphs, a pipe table and a list, blocks separated by blank lines', () => {
    expect(pageToMarkdown(documentPage())).toBe(
      [
        '# Invoice 42',
        '',
        'Thank you for your order.',
        'It ships tomorrow.',
        '',
        'Terms: net 30 | no returns',
        '',
        '| Item | Qty | Price |',
        '| --- | --- | --- |',
        '| Widget | 2 | 9.99 |',
        '| Gadget |  | a\\|b |',
        '',
        '- first item',
        '- second item',
      ].join('\n'),
    );
  });

  it('pads ragged table rows and joins multi-line cells with a space', () => {
    const t = block('table', [line('A', 0, 0, 10, 10), line('B', 20, 0, 30, 10), line('two', 0, 20, 10, 30), line('lines', 0, 32, 10, 40)], {
      table: { rows: [[[0], [1]], [[2, 3]]] },
    });
    expect(blockToMarkdown(t)).toBe('| A | B |\n| --- | --- |\n| two lines |  |');
  });

  it('falls back to lines for a table block without a grid', () => {
    const t = block('table', [line('x y', 0, 0, 10, 10)]);
    expect(blockToMarkdown(t)).toBe('x y');
    expect(blockToMarkdown({ ...t, table: { rows: [] } })).toBe('x y');
  });

  it('keeps recognised "#" from turning a paragraph into a heading', () => {
    expect(blockToMarkdown(block('paragraph', [line('# 5 bolts', 0, 0, 10, 10)]))).toBe('\\# 5 bolts');
  });

  it('joins wrapped list items and keeps numbered items', () => {
    const list = block('list', [line('1. one', 0, 0, 9, 9), line('continued', 0, 10, 9, 19), line('2) two', 0, 20, 9, 29)]);
    expect(blockToMarkdown(list)).toBe('1. one continued\n2) two');
  });

  it('renders a rotated page like any other and an empty page as ""', () => {
    expect(pageToMarkdown(rotatedPage())).toBe('Rotated text');
    expect(pageToMarkdown(emptyPage())).toBe('');
  });
});
