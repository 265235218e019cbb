import { describe, expect, it } from 'vitest';
import { walkOperators } from './text-layer.content.ts';
import { OpTextRuns, type FontFacts } from './text-layer.op-runs.ts';
import type { PdfOps, TextRun } from './text-layer.types.ts';

/** pdfjs's OPS codes for the operators the reader follows (any distinct numbers would do). */
const OPS = {
  save: 10,
  restore: 11,
  transform: 12,
  beginText: 31,
  endText: 32,
  setCharSpacing: 33,
  setWordSpacing: 34,
  setHScale: 35,
  setLeading: 36,
  setFont: 37,
  setTextRenderingMode: 38,
  setTextRise: 39,
  moveText: 40,
  setLeadingMoveText: 41,
  setTextMatrix: 42,
  nextLine: 43,
  showText: 44,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
} as const satisfies PdfOps;

const glyph = (unicode: string, width = 500) => ({ unicode, width, isSpace: unicode === ' ' });
const glyphs = (text: string, width = 500) => [...text].map((ch) => glyph(ch, width));
const helvetica: FontFacts = { ascent: 0.75, descent: -0.25, fontMatrix: [0.001, 0, 0, 0.001, 0, 0] };

function read(ops: Array<[number, unknown[] | null]>, fonts: Record<string, FontFacts> = { F1: helvetica }): TextRun[] | null {
  const reader = new OpTextRuns(OPS, (id) => fonts[id]);
  walkOperators(
    ops.map(([fn]) => fn),
    ops.map(([, args]) => args),
    OPS,
    reader,
  );
  return reader.runs();
}

/** Each run's text and its glyphs' starts along it (user space, rounded). */
const placed = (runs: TextRun[] | null) => runs!.map((r) => [r.text, r.glyphs.map((g) => Math.round(g.start * 100) / 100)]);

describe('OpTextRuns', () => {
  it('places glyphs as the canvas paints them: text matrix, font size, char spacing, horizontal scaling, rise', () => {
    const runs = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 10]],
      [OPS.setTextMatrix, [new Float32Array([2, 0, 0, 2, 100, 700])]],
      [OPS.setCharSpacing, [1]],
      [OPS.setHScale, [50]],
      [OPS.setTextRise, [3]],
      [OPS.showText, [glyphs('ab')]],
    ]);
    // Advance per glyph: (0.5 em × 10 + 1) × 0.5 = 3 text units, 6 user units at the matrix's scale 2.
    expect(placed(runs)).toEqual([['ab', [0, 6]]]);
    const run = runs![0]!;
    expect(run.transform).toEqual([10, 0, 0, 20, 100, 706]);
    expect([run.height, run.ascent, run.descent, run.width]).toEqual([20, 0.75, -0.25, 2 * (3 + 2.5)]);
  });

  it('follows Td, TD, T* and TL, and keeps the text state through save and restore', () => {
    const runs = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 10]],
      [OPS.moveText, [72, 700]],
      [OPS.showText, [glyphs('one')]],
      [OPS.setLeadingMoveText, [0, -12]],
      [OPS.showText, [glyphs('two')]],
      [OPS.save, null],
      [OPS.setFont, ['F1', 20]],
      [OPS.restore, null],
      [OPS.nextLine, null],
      [OPS.showText, [glyphs('six')]],
      [OPS.setLeading, [20]],
      [OPS.nextLine, null],
      [OPS.showText, [glyphs('ten')]],
    ]);
    expect(runs!.map((r) => [r.text, r.transform[4], r.transform[5], r.height])).toEqual([
      ['one', 72, 700, 10],
      ['two', 72, 688, 10],
      ['six', 72, 676, 10],
      ['ten', 72, 656, 10],
    ]);
  });

  it('cuts a run at a word-sized gap (TJ or char spacing) and opens the next with a space; a step back starts a run without one', () => {
    const runs = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 10]],
      // -300: a third of an em forward (a word space); -50: kerning; 2000: two ems back.
      [OPS.showText, [[...glyphs('ab'), -300, ...glyphs('cd'), -50, glyph('e'), 2000, ...glyphs('fg')]]],
    ]);
    expect(runs!.map((r) => r.text)).toEqual(['ab', ' cde', 'fg']);
    expect(runs![1]!.glyphs[0]).toMatchObject({ text: ' ', renderMode: null, paintOrder: -1 });
    // Table cells set with a large char spacing, TJ stepping back over it inside a cell (4000: four ems back).
    const spaced = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 1]],
      [OPS.setCharSpacing, [4]],
      [OPS.showText, [[glyph('0'), glyph('1'), 4000, glyph(','), 4000, glyph('5')]]],
    ]);
    expect(spaced!.map((r) => r.text)).toEqual(['0', ' 1,5']);
  });

  it('opens a run with a space when it continues the last one’s line past a word gap, not when it starts a new line', () => {
    const runs = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 10]],
      [OPS.moveText, [100, 500]],
      [OPS.showText, [glyphs('ab')]], // ends at x = 110
      [OPS.moveText, [13, 0]], // starts at 113: 0.3 em after
      [OPS.showText, [glyphs('cd')]],
      [OPS.moveText, [10.5, 0]], // 0.05 em after: kerning, no space
      [OPS.showText, [glyphs('ef')]],
      [OPS.moveText, [0, -12]],
      [OPS.showText, [glyphs('gh')]],
    ]);
    expect(runs!.map((r) => r.text)).toEqual(['ab', ' cd', 'ef', 'gh']);
  });

  it('ties glyphs to the render mode, fill and paint order of the operator that paints them', () => {
    const runs = read([
      [OPS.beginText, null],
      [OPS.setFont, ['F1', 10]],
      [OPS.setTextRenderingMode, [3]],
      [OPS.showText, [glyphs('a')]],
    ]);
    expect(runs![0]!.glyphs[0]).toMatchObject({ text: 'a', renderMode: 3, paintOrder: 3, lightFill: false });
  });

  it('gives up on what it does not follow: right-to-left text, vertical writing, unknown fonts, skewed matrices', () => {
    const show = (text: string, font = 'F1'): Array<[number, unknown[] | null]> => [
      [OPS.beginText, null],
      [OPS.setFont, [font, 10]],
      [OPS.showText, [glyphs(text)]],
    ];
    expect(read(show('שלום'))).toBeNull();
    expect(read(show('abc', 'V'), { V: { ...helvetica, vertical: true } })).toBeNull();
    expect(read(show('abc', 'X'))).toBeNull();
    expect(read(show('abc', 'S'), { S: { fontMatrix: [0.001, 0.0002, 0, 0.001, 0, 0] } })).toBeNull();
    // Type3 fonts (their glyph space often flipped) place their glyphs like any other.
    expect(placed(read(show('ab', 'T'), { T: { isType3Font: true, fontMatrix: [0.0005, 0, 0, -0.0005, 0, 0] } }))).toEqual([['ab', [0, 2.5]]]);
  });
});
