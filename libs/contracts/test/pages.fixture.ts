import type { Block, Line, OcrPage, Quad, Word } from '@folio/ocr';

/** Hand-built canonical pages for the mapper tests. Coordinates are page pixels. */

export const box = (x0: number, y0: number, x1: number, y1: number): Quad => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** A horizontal line whose words share its width in proportion to their length. */
export function line(text: string, x0: number, y0: number, x1: number, y1: number, confidence = 0.9): Line {
  const parts = text.split(' ');
  const total = parts.reduce((n, p) => n + p.length, 0) + parts.length - 1;
  const unit = (x1 - x0) / Math.max(total, 1);
  let x = x0;
  const words: Word[] = parts.map((p) => {
    const w: Word = { text: p, confidence, quad: box(x, y0, x + p.length * unit, y1) };
    x += (p.length + 1) * unit;
    return w;
  });
  return { text, confidence, quad: box(x0, y0, x1, y1), words };
}

export function block(kind: Block['kind'], lines: Line[], extra: Partial<Block> = {}): Block {
  const xs = lines.flatMap((l) => l.quad.map((p) => p[0]));
  const ys = lines.flatMap((l) => l.quad.map((p) => p[1]));
  return { kind, quad: box(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)), lines, ...extra };
}

/**
 * 1000 x 1400 px at 144 dpi: a heading, two paragraphs (one with a pipe), a 3 x 3 table with an
 * empty cell, and a bulleted list.
 */
export function documentPage(): OcrPage {
  const table = block(
    'table',
    [
      line('Item', 100, 600, 300, 630, 0.95), // 0
      line('Qty', 400, 600, 500, 630, 0.93), // 1
      line('Price', 700, 600, 850, 630, 0.92), // 2
      line('Widget', 100, 650, 300, 680, 0.9), // 3
      line('2', 400, 650, 420, 680, 0.99), // 4
      line('9.99', 700, 650, 800, 680, 0.97), // 5
      line('Gadget', 100, 700, 300, 730, 0.8), // 6
      line('a|b', 700, 700, 780, 730, 0.85), // 7
    ],
    { table: { rows: [[[0], [1], [2]], [[3], [4], [5]], [[6], [], [7]]] } },
  );
  return {
    width: 1000,
    height: 1400,
    dpi: 144,
    rotation: 0,
    blocks: [
      block('heading', [line('Invoice 42', 100, 100, 500, 160, 0.98)]),
      block('paragraph', [
        line('Thank you for your order.', 100, 200, 700, 230, 0.96),
        line('It ships tomorrow.', 100, 240, 500, 270, 0.94),
      ]),
      block('paragraph', [line('Terms: net 30 | no returns', 100, 320, 800, 350, 0.9)]),
      table,
      block('list', [line('• first item', 100, 800, 400, 830, 0.9), line('• second item', 100, 840, 420, 870, 0.88)]),
    ],
    timings: { detect: 12, recognize: 40 },
  };
}

/**
 * A 600 x 400 source image of an upright 400 x 600 page turned 90 degrees clockwise: the text
 * reads top to bottom. The line sits at x 50..250, y 100..130 on the upright page.
 */
export function rotatedPage(): OcrPage {
  // upright (u, v) -> source (600 - v, u) for a clockwise quarter turn of a 400 x 600 page.
  const toSource = ([u, v]: [number, number]): [number, number] => [600 - v, u];
  const upright = line('Rotated text', 50, 100, 250, 130, 0.91);
  const turn = (q: Quad): Quad => q.map(toSource) as Quad;
  const rotated: Line = {
    ...upright,
    quad: turn(upright.quad),
    words: upright.words.map((w) => ({ ...w, quad: turn(w.quad) })),
  };
  return {
    width: 600,
    height: 400,
    dpi: 72,
    rotation: 90,
    blocks: [{ kind: 'paragraph', quad: rotated.quad, lines: [rotated] }],
  };
}

export function emptyPage(): OcrPage {
  return { width: 800, height: 600, dpi: 72, rotation: 0, blocks: [] };
}
