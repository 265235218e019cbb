import { describe, expect, it } from 'vitest';
import type { Block, Line, OcrPage, Quad } from '../page.ts';
import { pageToText } from './page.format.ts';

const q: Quad = [[0, 0], [1, 0], [1, 1], [0, 1]];
const line = (text: string): Line => ({ text, confidence: 1, quad: q, words: text.split(' ').map((t) => ({ text: t, confidence: 1, quad: q })) });

const blocks: Block[] = [
  { kind: 'heading', quad: q, lines: [line('Invoice 42')] },
  { kind: 'paragraph', quad: q, lines: [line('Thank you for'), line('your order.')] },
  { kind: 'list', quad: q, lines: [line('• first'), line('2. second')] },
  {
    kind: 'table',
    quad: q,
    lines: [line('Item'), line('Price'), line('Tea'), line('3|00')],
    table: { rows: [[[0], [1]], [[2], [3]]] },
  },
];
const page: OcrPage = { width: 10, height: 10, dpi: 72, rotation: 0, blocks };

describe('page formats', () => {
  it('prints one text line per line and one per table row', () => {
    expect(pageToText(page)).toBe('Invoice 42\nThank you for\nyour order.\n• first\n2. second\nItem Price\nTea 3|00');
  });
});
