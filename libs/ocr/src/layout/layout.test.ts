import { describe, expect, it } from 'vitest';
import type { Line } from '../page.ts';
import { line, paragraph, shuffled, texts, words } from './fixtures.test-helpers.ts';
import { quadAngle } from '../geometry/index.ts';
import { layoutPage } from './index.ts';

const PAGE = { width: 1000, height: 1400 };
const H = 20;
const PITCH = 30;

/** Two text columns, 30 characters (300 px) wide, 30 px gutter, baselines aligned. */
function twoColumns(top: number, rows = 10): { left: Line[]; right: Line[] } {
  const left = paragraph(words('a', 60), 40, top, 30, PITCH).slice(0, rows);
  const right = paragraph(words('b', 60), 370, top, 30, PITCH).slice(0, rows);
  return { left, right };
}

describe('layoutPage: columns', () => {
  it('reads a full-width title, then the left column, then the right one', () => {
    const title = line('Annual Report of the Society', 40, 40, { h: 36 });
    const { left, right } = twoColumns(120);
    const blocks = layoutPage(shuffled([title, ...left, ...right]), PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'paragraph']);
    expect(blocks[0]?.lines.map((l) => l.text)).toEqual([title.text]);
    expect(blocks[1]?.lines.map((l) => l.text)).toEqual(left.map((l) => l.text));
    expect(blocks[2]?.lines.map((l) => l.text)).toEqual(right.map((l) => l.text));
  });

  it('keeps columns apart when the title sits as close as a line above them', () => {
    const title = line('A title spanning both of the columns here', 40, 40);
    const { left, right } = twoColumns(40 + H + 12);
    const blocks = layoutPage(shuffled([title, ...left, ...right], 3), PAGE);
    expect(texts(blocks)).toEqual([title.text, ...left.map((l) => l.text), ...right.map((l) => l.text)]);
  });

  it('reads a three-column page with a masthead and a footer, like a Federal Register page', () => {
    const header = line('Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules', 40, 30);
    const cols = ['p', 'q', 'r'].map((tag, i) => paragraph(words(tag, 70), 40 + i * 320, 90, 29, PITCH).slice(0, 12));
    const footer = line('BILLING CODE 4910-13-P page footer spanning the page', 200, 90 + 12 * PITCH + 40);
    const all = [header, ...cols.flat(), footer];
    const blocks = layoutPage(shuffled(all, 5), PAGE);
    expect(texts(blocks)).toEqual(all.map((l) => l.text));
    expect(blocks.map((b) => b.lines.length)).toEqual([1, 12, 12, 12, 1]);
  });

  it('reads three columns before a full-width table that follows them closely', () => {
    const cols = ['p', 'q', 'r'].map((tag, i) => paragraph(words(tag, 70), 40 + i * 320, 40, 29, PITCH).slice(0, 12));
    const top = 40 + 12 * PITCH + 10;
    // A header cell straddles the second gutter and closes it; the first gutter stays open.
    const xs = [40, 200, 560, 800];
    const grid = [
      ['Action', 'Labor cost', 'Parts cost total', 'Cost'],
      ['Install', '1 hour', '$0', '$85'],
      ['Revise', '2 hours', '$10', '$180'],
      ['Remove', '1 hour', '$0', '$85'],
    ].map((r, i) => r.map((t, j) => line(t, xs[j] as number, top + i * PITCH)));
    const blocks = layoutPage(shuffled([...cols.flat(), ...grid.flat()], 16), PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'paragraph', 'table']);
    expect(texts(blocks)).toEqual([...cols.flat(), ...grid.flat()].map((l) => l.text));
  });

  it('reads a table title and header row that fit between the gutters with the table, after the columns', () => {
    const cols = ['p', 'q', 'r'].map((tag, i) => paragraph(words(tag, 70), 40 + i * 320, 40, 29, PITCH).slice(0, 12));
    const bottom = 40 + 11 * PITCH + H;
    // A centred title inside the middle column, then header cells each inside one column, then
    // rows whose cells cross both gutters.
    const title = line('ESTIMATED COSTS', 440, bottom + H);
    const headerTop = bottom + 2 * H + 15;
    const header = [line('Action', 120, headerTop), line('Labor cost', 400, headerTop), line('Parts cost', 540, headerTop), line('Per product', 760, headerTop)];
    const xs = [40, 280, 540, 760];
    const rows = [
      ['Install software ....', '1 work-hour x $85 ....', '$0 ............', '$85 ....'],
      ['Revise the manual ...', '2 work-hours x $85 ...', '$10 ...........', '$180 ...'],
      ['Remove the marker ...', '1 work-hour x $85 ....', '$0 ............', '$85 ....'],
    ].map((r, i) => r.map((t, j) => line(t, xs[j] as number, headerTop + (i + 1) * PITCH)));
    const blocks = layoutPage(shuffled([...cols.flat(), title, ...header, ...rows.flat()], 17), PAGE);
    expect(texts(blocks)).toEqual([
      ...cols.flat().map((l) => l.text),
      title.text,
      ...[...header, ...rows.flat()].map((l) => l.text),
    ]);
    expect(blocks.at(-1)?.kind).toBe('table');
  });

  it('keeps a last line set off in one column as that column\'s end when a table follows', () => {
    const cols = ['p', 'q', 'r'].map((tag, i) => paragraph(words(tag, 70), 40 + i * 320, 40, 29, PITCH).slice(0, 12));
    // The first column runs on below the others, after a paragraph break: still its text.
    const more = line('p-end of the first column', 40, 40 + 12 * PITCH + 10);
    const top = 40 + 14 * PITCH;
    const xs = [40, 280, 540, 760];
    const rows = [
      ['Install software ....', '1 work-hour x $85 ....', '$0 ............', '$85 ....'],
      ['Revise the manual ...', '2 work-hours x $85 ...', '$10 ...........', '$180 ...'],
      ['Remove the marker ...', '1 work-hour x $85 ....', '$0 ............', '$85 ....'],
    ].map((r, i) => r.map((t, j) => line(t, xs[j] as number, top + i * PITCH)));
    const blocks = layoutPage(shuffled([...cols.flat(), more, ...rows.flat()], 18), PAGE);
    expect(texts(blocks)).toEqual([...(cols[0] as Line[]), more, ...(cols[1] as Line[]), ...(cols[2] as Line[]), ...rows.flat()].map((l) => l.text));
  });

  it('splits a detector box that bridges the gutter between two columns', () => {
    const { left, right } = twoColumns(60);
    const l4 = left[4] as Line;
    const r4 = right[4] as Line;
    // One detector box from the left column's line 4 to the right column's line 4.
    const bridged: Line = {
      text: `${l4.text} ${r4.text}`,
      confidence: 0.9,
      words: [...l4.words, ...r4.words],
      quad: [l4.quad[0], r4.quad[1], r4.quad[2], l4.quad[3]],
    };
    const input = [...left.filter((l) => l !== l4), ...right.filter((l) => l !== r4), bridged];
    const blocks = layoutPage(shuffled(input, 9), PAGE);
    expect(texts(blocks)).toEqual([...left, ...right].map((l) => l.text));
  });

  it('finishes both columns above a full-width blank (a figure) before the ones below it', () => {
    const above = twoColumns(60, 8);
    const below = twoColumns(60 + 8 * PITCH + 200, 8);
    const blocks = layoutPage(shuffled([...above.left, ...above.right, ...below.left, ...below.right], 10), PAGE);
    const expected = [above.left, above.right, below.left, below.right].map((ls) => ls.map((l) => l.text));
    expect(blocks.map((b) => b.lines.map((l) => l.text))).toEqual(expected);
  });

  it('reads row by row when side-by-side text is too short to be columns (address blocks)', () => {
    const rows = [
      ['Billing Address', 'Shipping Address'],
      ['Ada Lovelace', 'Charles Babbage'],
      ['12 Analytical Way', '3 Engine Street'],
    ];
    const input = rows.flatMap((r, i) => [line(r[0] as string, 40, 40 + i * PITCH), line(r[1] as string, 500, 40 + i * PITCH)]);
    expect(texts(layoutPage(shuffled(input), PAGE))).toEqual(rows.map((r) => r.join(' ')));
  });
});

describe('layoutPage: forms and receipts', () => {
  it('reads label/value pairs left to right, each row one line', () => {
    const input = [
      line('Name:', 40, 40),
      line('John Smith', 200, 40),
      line('Phone:', 500, 40),
      line('555 0100', 620, 40),
      line('Date:', 40, 80),
      line('2024-01-05', 200, 80),
      line('Signature:', 40, 120),
      line('(signed)', 200, 120),
    ];
    const blocks = layoutPage(shuffled(input, 4), PAGE);
    expect(texts(blocks)).toEqual(['Name: John Smith Phone: 555 0100', 'Date: 2024-01-05', 'Signature: (signed)']);
    expect(blocks.every((b) => b.kind !== 'table')).toBe(true);
    const first = blocks[0]?.lines[0];
    expect(first?.words.map((w) => w.text)).toEqual(['Name:', 'John', 'Smith', 'Phone:', '555', '0100']);
  });

  it('keeps each receipt price on its item line', () => {
    const items: [string, string][] = [
      ['Coffee beans 1kg arabica', '12.50'],
      ['Whole milk 2l', '1.99'],
      ['Sourdough bread loaf', '3.20'],
      ['Free range eggs x12', '4.10'],
      ['Dark chocolate bar', '2.35'],
      ['Orange juice fresh 1l', '2.80'],
      ['SUBTOTAL', '26.94'],
      ['TOTAL', '26.94'],
    ];
    const right = 380;
    const header = [line('CORNER GROCERY', 120, 20, { h: 28 }), line('12 High Street', 130, 60), line('Tel 555 0199', 140, 90)];
    const rows = items.map(([name, price], i) => [line(name, 20, 140 + i * 26), line(price, right - price.length * 10, 140 + i * 26)]);
    const input = [...header, ...rows.flat()];
    const blocks = layoutPage(shuffled(input, 2), { width: 400, height: 400 });
    expect(texts(blocks)).toEqual([...header.map((l) => l.text), ...items.map(([n, p]) => `${n} ${p}`)]);
    expect(blocks[0]?.kind).toBe('heading');
  });
});

describe('layoutPage: tables', () => {
  it('finds a 4×3 grid and lists its cells row-major', () => {
    const cells = [
      ['Item', 'Qty', 'Price'],
      ['Apples', '3', '1.20'],
      ['Pears', '', '0.90'],
      ['Plums', '12', '4.00'],
    ];
    const caption = line('Table 1: fruit bought this week', 40, 40);
    const grid = cells.flatMap((r, i) => r.map((t, j) => (t ? line(t, 40 + j * 200, 90 + i * PITCH) : null)).filter((l): l is Line => l !== null));
    const after = line('Prices include tax.', 40, 90 + 4 * PITCH + 30);
    const blocks = layoutPage(shuffled([caption, ...grid, after], 6), PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'table', 'paragraph']);
    const table = blocks[1];
    expect(table?.lines.map((l) => l.text)).toEqual(cells.flat().filter((t) => t));
    expect(table?.table?.rows).toEqual([
      [[0], [1], [2]],
      [[3], [4], [5]],
      [[6], [], [7]],
      [[8], [9], [10]],
    ]);
  });
});

describe('layoutPage: lines and paragraphs', () => {
  it('merges fragments of one visual line, words in x order', () => {
    const before = line('An opening line of the paragraph text', 40, 40);
    const parts = [line('The quick brown', 40, 70), line('fox jumps', 40 + 16 * 10 + 15, 70), line('over the lazy dog', 40 + 26 * 10 + 30, 70)];
    const after = line('and a closing line of the paragraph', 40, 100);
    const blocks = layoutPage(shuffled([before, ...parts, after], 8), PAGE);
    expect(blocks).toHaveLength(1);
    expect(texts(blocks)).toEqual([before.text, 'The quick brown fox jumps over the lazy dog', after.text]);
    const merged = blocks[0]?.lines[1];
    expect(merged?.words.map((w) => w.text)).toEqual('The quick brown fox jumps over the lazy dog'.split(' '));
    expect(merged?.quad[0][0]).toBe(40);
  });

  it('returns an unchanged input line as the same object', () => {
    const only = line('Just one line', 10, 10);
    expect(layoutPage([only], PAGE)[0]?.lines[0]).toBe(only);
  });

  it('splits paragraphs at blank space and at a change of size, and marks headings', () => {
    const heading = line('Introduction', 40, 40, { h: 34 });
    const p1 = paragraph(words('m', 20), 40, 90, 40, PITCH);
    const p2 = paragraph(words('n', 20), 40, 90 + p1.length * PITCH + 25, 40, PITCH);
    const blocks = layoutPage(shuffled([heading, ...p1, ...p2], 11), PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'paragraph']);
    expect(blocks.map((b) => b.lines.length)).toEqual([1, p1.length, p2.length]);
  });

  it('makes headings only from evidence: never a tall line of numbers or a tall sentence', () => {
    const numbers = line('9556641320027 17 0.85 0.90 15.25', 40, 40, { h: 34 });
    const sentence = line('We will pay for that ourselves.', 40, 120, { h: 34 });
    const body = paragraph(words('m', 20), 40, 200, 40, PITCH);
    const blocks = layoutPage(shuffled([numbers, sentence, ...body], 16), PAGE);
    expect(blocks.filter((b) => b.kind === 'heading')).toEqual([]);
    expect(texts(blocks)).toContain(numbers.text);
  });

  it('compares font sizes, not box heights: accents above and descenders below make no heading', () => {
    // One font size (30 px em): each detector box spans only the ink its characters reach.
    const em = 30;
    const ink = (text: string, top: number, bottom: number, y: number, o: { origin?: 'text_layer' } = {}) => {
      const l = line(text, 40, y, { h: Math.round(em * (top + bottom)), cw: 12 });
      return o.origin ? { ...l, words: l.words.map((w) => ({ ...w, origin: o.origin })) } : l;
    };
    const body = ['VIREMENT SEPA 2024', 'TVA 20 PCT', 'REF 4471 0093', 'NET A PAYER'].map((t, i) => ink(t, 0.73, 0, 40 + i * 45));
    const accented = ink('Échéance : 12 juillet', 0.92, 0.21, 40 + body.length * 45);
    const blocks = layoutPage(shuffled([...body, accented], 21), PAGE);
    expect(blocks.filter((b) => b.kind === 'heading')).toEqual([]);
    // A larger font is still a heading, and text-layer boxes (font metrics) are taken as they are.
    const title = line('Conditions générales', 40, 400, { h: Math.round(1.6 * em * 0.92), cw: 18 });
    const layerBody = ['mmm nnn', 'uuu www', 'rrr sss'].map((t, i) => ink(t, 0.73, 0.21, 500 + i * 45, { origin: 'text_layer' }));
    const kinds = layoutPage(shuffled([...body, accented, title, ...layerBody], 22), PAGE).map((b) => [b.kind, b.lines[0]?.text]);
    expect(kinds).toContainEqual(['heading', title.text]);
    expect(kinds.filter(([k]) => k === 'heading')).toHaveLength(1);
  });

  it('marks bulleted lines as a list, apart from the text before it', () => {
    const intro = line('Bring the following items:', 40, 40);
    const items = ['• a sleeping bag', '• a torch with batteries', '  and a spare bulb', '• water'].map((t, i) => line(t.trim(), t.startsWith(' ') ? 60 : 40, 70 + i * PITCH));
    const blocks = layoutPage(shuffled([intro, ...items], 12), PAGE);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'list']);
    expect(blocks[1]?.lines).toHaveLength(4);
  });

  it('returns no blocks for no text', () => {
    expect(layoutPage([], PAGE)).toEqual([]);
    expect(layoutPage([line(' ', 10, 10)], PAGE)).toEqual([]);
  });
});

describe('layoutPage: narrow gutters', () => {
  /** Two columns `gutter` px apart (one em is H = 20 px), widths in characters. */
  function columns(gutter: number, leftChars = 30, rightChars = 30, top = 120, rows = 12) {
    const left = paragraph(words('a', 80), 40, top, leftChars, PITCH).slice(0, rows);
    const leftRight = 40 + Math.max(...left.map((l) => l.quad[1][0] - 40));
    const right = paragraph(words('b', 80), leftRight + gutter, top, rightChars, PITCH).slice(0, rows);
    return { left, right };
  }

  it.each([20, 14, 10])('reads column 1 before column 2 across a %i px gutter, no line fused across it', (gutter) => {
    const { left, right } = columns(gutter);
    const out = texts(layoutPage(shuffled([...left, ...right], 21), PAGE));
    expect(out).toEqual([...left, ...right].map((l) => l.text));
  });

  it('reads unequal columns under a spanning title, around a figure caption between them', () => {
    const title = line('A title spanning both columns of this page', 40, 40, { h: 36 });
    const { left, right } = columns(16, 40, 18);
    const figure = line('Figure 1: a caption', 40, 120 + 13 * PITCH);
    const after = paragraph(words('c', 30), 40, 120 + 15 * PITCH, 40, PITCH).slice(0, 3);
    const out = texts(layoutPage(shuffled([title, ...left, ...right, figure, ...after], 22), PAGE));
    expect(out).toEqual([title, ...left, ...right, figure, ...after].map((l) => l.text));
  });
});

describe('layoutPage: skew and rotation', () => {
  const center: [number, number] = [500, 700];

  it('reads a two-column page skewed by 2° as if it were straight', () => {
    const build = (deg: number) => {
      const o = { deg, center };
      const title = line('A skewed title over two columns of text', 40, 40, { ...o, h: 36 });
      const left = paragraph(words('a', 60), 40, 120, 30, PITCH, o).slice(0, 10);
      const right = paragraph(words('b', 60), 370, 120, 30, PITCH, o).slice(0, 10);
      return [title, ...left, ...right];
    };
    const straight = layoutPage(build(0), PAGE);
    for (const deg of [2, -2]) {
      const skewed = layoutPage(shuffled(build(deg), 13), PAGE);
      expect(texts(skewed)).toEqual(texts(straight));
      expect(skewed.map((b) => b.kind)).toEqual(straight.map((b) => b.kind));
      for (const b of skewed) expect((quadAngle(b.quad) * 180) / Math.PI).toBeCloseTo(deg, 5);
    }
  });

  it('keeps prices on their lines on a receipt skewed by 1.5°', () => {
    const o = { deg: 1.5, center: [200, 200] as [number, number] };
    const items = ['Tea 100 bags', 'Sugar 1kg', 'Biscuits', 'Honey jar', 'TOTAL'];
    const input = items.flatMap((n, i) => [line(n, 20, 40 + i * 26, o), line(`${i + 1}.00`, 330, 40 + i * 26, o)]);
    expect(texts(layoutPage(shuffled(input, 14), { width: 400, height: 400 }))).toEqual(items.map((n, i) => `${n} ${i + 1}.00`));
  });

  it('reads a page turned by 90° in its own text direction', () => {
    const { left, right } = twoColumns(120);
    const turned = [...left, ...right].map((l) => {
      const o = { deg: 90, center };
      const moved = line(l.text, l.quad[0][0], l.quad[0][1], o);
      return moved;
    });
    expect(texts(layoutPage(shuffled(turned, 15), PAGE))).toEqual([...left, ...right].map((l) => l.text));
  });
});
