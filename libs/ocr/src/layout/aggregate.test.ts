import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.ts';
import { line } from './fixtures.test-helpers.ts';
import { layoutPage } from './index.ts';

const PAGE = { width: 800, height: 600 };

function page() {
  const title = line('Quarterly figures', 40, 20, { h: 34 });
  const body = [line('Sales rose in every region this quarter', 40, 80), line('and costs fell slightly.', 40, 110)];
  const grid = [
    ['Region', 'Sales', 'Costs'],
    ['North', '120', '80'],
    ['South', '95', '70'],
  ].flatMap((r, i) => r.map((t, j) => line(t, 40 + j * 200, 180 + i * 30)));
  return { blocks: layoutPage([...grid, ...body, title], PAGE) };
}

describe('aggregate', () => {
  it('gives paragraphs: blocks with lines joined, tables row by row', () => {
    const els = aggregate(page(), 'paragraph');
    expect(els.map((e) => e.text)).toEqual([
      'Quarterly figures',
      'Sales rose in every region this quarter\nand costs fell slightly.',
      'Region Sales Costs\nNorth 120 80\nSouth 95 70',
    ]);
    for (const e of els) expect(e.confidence).toBeCloseTo(0.9, 10);
  });

  it('gives lines (table cells count as lines)', () => {
    const els = aggregate(page(), 'line');
    expect(els).toHaveLength(1 + 2 + 9);
    expect(els[1]?.text).toBe('Sales rose in every region this quarter');
    expect(els[1]?.quad).toEqual([
      [40, 80],
      [430, 80],
      [430, 100],
      [40, 100],
    ]);
  });

  it('gives words in reading order, a wordless line as one element', () => {
    const p = page();
    const words = aggregate(p, 'word');
    expect(words.slice(0, 4).map((w) => w.text)).toEqual(['Quarterly', 'figures', 'Sales', 'rose']);
    expect(words).toHaveLength(2 + 7 + 4 + 9);
    const [first] = p.blocks;
    const [firstLine] = first?.lines ?? [];
    if (!first || !firstLine) throw new Error('no first block');
    const bare = { blocks: [{ ...first, lines: [{ ...firstLine, words: [] }] }] };
    expect(aggregate(bare, 'word').map((w) => w.text)).toEqual(['Quarterly figures']);
  });
});
