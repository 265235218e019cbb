import { describe, expect, it } from 'vitest';
import { alignCharacters, buildRuns, isLightColour, readPageContent, walkOperators, type TextContentItem } from './text-layer.content.ts';
import type { PdfOps } from './text-layer.types.ts';

/** A subset of pdfjs's OPS codes: the walker only compares codes it is given. */
const OPS = {
  save: 10,
  restore: 11,
  transform: 12,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  setTextRenderingMode: 38,
  showText: 44,
  paintImageXObject: 85,
  paintInlineImageXObject: 86,
  paintImageMaskXObject: 83,
  setFillRGBColor: 59,
  constructPath: 91,
  fill: 22,
} as const satisfies PdfOps;

const glyph = (unicode: string, width = 500) => ({ unicode, width, isSpace: unicode === ' ' });

describe('walkOperators', () => {
  it('places images through save/restore/transform and form matrices', () => {
    const facts = walkOperators(
      [OPS.save, OPS.transform, OPS.paintImageXObject, OPS.restore, OPS.paintFormXObjectBegin, OPS.transform, OPS.paintInlineImageXObject, OPS.paintFormXObjectEnd, OPS.paintImageMaskXObject],
      [null, [200, 0, 0, 100, 50, 60], ['img1', 640, 320], null, [[1, 0, 0, 1, 10, 20], null], [2, 0, 0, 2, 0, 0], [{ width: 8, height: 8 }], null, [{ width: 30, height: 40 }]],
      OPS,
    );
    expect(facts.images.map((im) => [im.kind, im.corners[0], im.corners[2], im.pixelWidth, im.paintOrder])).toEqual([
      ['image', [50, 60], [250, 160], 640, 2],
      ['inline', [10, 20], [12, 22], 8, 6],
      ['mask', [0, 0], [1, 1], 30, 8],
    ]);
  });

  it('ties each painted character to its render mode, fill colour and advance', () => {
    const facts = walkOperators(
      [OPS.showText, OPS.save, OPS.setTextRenderingMode, OPS.setFillRGBColor, OPS.showText, OPS.restore, OPS.showText],
      [[[glyph('A', 600), -200, glyph('ﬁ', 556)]], null, [3], ['#ffffff'], [[glyph('x')]], null, [[glyph('y')]]],
      OPS,
    );
    expect(facts.chars.map((c) => [c.char, c.advance, c.renderMode, c.lightFill])).toEqual([
      ['A', 0.6, 0, false],
      ['ﬁ', 0.556, 0, false],
      ['x', 0.5, 3, true],
      ['y', 0.5, 0, false],
    ]);
  });

  it('records opaque filled paths with their bounds', () => {
    const facts = walkOperators([OPS.setFillRGBColor, OPS.constructPath], [['#202020'], [OPS.fill, [], [10, 20, 110, 70]]], OPS);
    expect(facts.fills).toEqual([{ box: { x: 10, y: 20, width: 100, height: 50 }, light: false, paintOrder: 1 }]);
    expect(facts.pathPaints).toBe(1);
  });

  it('calls only near-white fills light', () => {
    expect([isLightColour('#ffffff'), isLightColour('#f5f5f5'), isLightColour('#c0c0c0'), isLightColour('#ffff00'), isLightColour(null)]).toEqual([true, true, false, false, false]);
  });
});

const item = (str: string, width: number, x = 0): TextContentItem => ({ str, transform: [10, 0, 0, 10, x, 0], width, height: 10, fontName: 'f', hasEOL: false });

describe('alignCharacters and buildRuns', () => {
  const painted = (text: string, advance = 0.5) => [...text].map((char) => ({ char, advance, renderMode: 0, paintOrder: 1, lightFill: false }));

  it('matches characters in order; whitespace pdfjs inserted for gaps has no glyph', () => {
    const aligned = alignCharacters([item('ab cd', 50)], painted('abcd'));
    expect(aligned[0]!.map((p) => p?.char ?? null)).toEqual(['a', 'b', null, 'c', 'd']);
  });

  it('gives up on the whole page when the streams disagree', () => {
    const aligned = alignCharacters([item('abcdefgh', 40)], painted('zyxwvuts'));
    expect(aligned[0]!.every((p) => p === null)).toBe(true);
  });

  it('fits glyph advances to the measured width, gaps taking what is left', () => {
    const [r] = buildRuns([item('ab cd', 60)], { f: { ascent: 0.9, descent: -0.25 } }, alignCharacters([item('ab cd', 60)], painted('abcd')));
    // Four glyphs of 0.5 em (5 pt) and a gap of the remaining 20 pt.
    expect(r!.glyphs.map((g) => [g.start, g.end])).toEqual([
      [0, 5],
      [5, 10],
      [10, 50],
      [50, 55],
      [55, 60],
    ]);
    expect([r!.ascent, r!.descent, r!.height]).toEqual([0.9, -0.25, 10]);
  });
});

describe('readPageContent', () => {
  /** A stand-in for a pdfjs page: one font, one showText, its text content as pdfjs would give it. */
  function fakePage(font: object, textCalls: { n: number }) {
    const ops = { ...OPS, beginText: 31, setFont: 37 } as const;
    const page = {
      getOperatorList: async () => ({
        fnArray: [ops.beginText, ops.setFont, ops.showText],
        argsArray: [null, ['F1', 10], [[glyph('ש', 500), glyph('ל', 500)]]],
      }),
      getAnnotations: async () => [],
      commonObjs: { has: () => true, get: () => font },
      getTextContent: async () => {
        textCalls.n++;
        return { items: [item('של', 10)], styles: { f: { ascent: 0.8, descent: -0.2 } } };
      },
    };
    return { page: page as unknown as Parameters<typeof readPageContent>[0], ops };
  }

  it('places runs from the operator list, and reads text it does not follow (right to left) through getTextContent', async () => {
    const calls = { n: 0 };
    const { page, ops } = fakePage({ fontMatrix: [0.001, 0, 0, 0.001, 0, 0] }, calls);
    const content = await readPageContent(page, ops, 0);
    expect(calls.n).toBe(1);
    // The item's text in logical order, its glyphs tied to the operator list's (render mode, paint order).
    expect(content.runs.map((r) => r.text)).toEqual(['של']);
    expect(content.runs[0]!.glyphs.map((g) => [g.text, g.renderMode, g.paintOrder])).toEqual([
      ['ש', 0, 2],
      ['ל', 0, 2],
    ]);
  });
});
