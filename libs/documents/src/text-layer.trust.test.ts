import { describe, expect, it } from 'vitest';
import type { Matrix } from './text-layer.geometry.ts';
import { countStrayLetters, glyphFlaws, isControl, isUnmapped, judgePage, scriptOf, textImageRegions, type PageGeometry } from './text-layer.trust.ts';
import type { PageContent, PaintedImage, TextGlyph, TextRun } from './text-layer.types.ts';
import { buildWords } from './text-layer.words.ts';

const TO_PIXELS: Matrix = [1, 0, 0, -1, 0, 800];
const GEOMETRY: PageGeometry = { view: [0, 0, 600, 800], toPixels: TO_PIXELS, width: 600, height: 800 };

function run(text: string, x: number, y: number, glyph: Partial<TextGlyph> = {}): TextRun {
  const glyphs = [...text].map((ch, i) => ({ text: ch, start: i * 6, end: (i + 1) * 6, renderMode: 0, paintOrder: 10, lightFill: false, ...glyph }));
  return { text, transform: [12, 0, 0, 12, x, y], width: glyphs.length * 6, height: 12, ascent: 0.8, descent: -0.2, vertical: false, fontId: 'f', glyphs, endOfLine: false };
}

function image(x: number, y: number, width: number, height: number, paintOrder = 1, pixels = 500): PaintedImage {
  return {
    corners: [
      [x, y],
      [x + width, y],
      [x + width, y + height],
      [x, y + height],
    ],
    pixelWidth: pixels,
    pixelHeight: pixels,
    kind: 'image',
    paintOrder,
  };
}

function judge(content: Partial<PageContent>) {
  const full: PageContent = { runs: [], images: [], fills: [], annotations: [], pathPaints: 0, emptyGlyphs: 0, ...content };
  const flaws = glyphFlaws(full, GEOMETRY);
  const words = buildWords(full.runs, TO_PIXELS, (g) => !flaws.has(g));
  return judgePage(full, flaws, words, GEOMETRY);
}

describe('character classes', () => {
  it('knows unmapped and control characters', () => {
    expect(['\uE000', '\uF8FF', '\uFFFD', '\u{F0000}', '\uFFFF'].every(isUnmapped)).toBe(true);
    expect(['a', '€', 'é', '\u00A0'].some(isUnmapped)).toBe(false);
    expect(isControl('\u0003')).toBe(true);
    expect(isControl('\n')).toBe(false);
  });

  it('names scripts, treating CJK as one group', () => {
    expect([scriptOf('a'), scriptOf('é'), scriptOf('ж'), scriptOf('漢'), scriptOf('か'), scriptOf('1'), scriptOf('€')]).toEqual([
      'Latin',
      'Latin',
      'Cyrillic',
      'CJK',
      'CJK',
      null,
      null,
    ]);
  });

  it('counts letters of mixed-script words and of scripts the page barely uses', () => {
    expect(countStrayLetters(['Hello', 'world', 'Straße', 'Gaëtan'])).toBe(0);
    expect(countStrayLetters(['Hеllo'])).toBe(5); // Cyrillic е inside a Latin word
    const latin = Array.from({ length: 40 }, () => 'word');
    expect(countStrayLetters([...latin, 'µ'])).toBe(1);
  });
});

describe('judgePage', () => {
  it('trusts plain visible text', () => {
    expect(judge({ runs: [run('Plain text here', 50, 700)] }).verdict).toEqual({ source: 'text_layer', imageRegions: [] });
  });

  it('sends nonsense from a bad character map to OCR', () => {
    const garbage = Array.from({ length: 10 }, (_, i) => run('Тхе qуиcк brоwн fоx', 50, 700 - i * 14));
    expect(judge({ runs: garbage }).verdict).toMatchObject({ source: 'ocr', reason: 'garbled_text' });
  });

  it('tolerates an icon glyph or two from a symbol font, not a run of them', () => {
    const text = Array.from({ length: 10 }, (_, i) => run('Bullet item with some words', 50, 700 - i * 14));
    expect(judge({ runs: [...text, run('\uF0B7', 40, 700)] }).verdict.source).toBe('text_layer');
    expect(judge({ runs: [...text, run('\uF0B7\uF0B7\uF0B7\uF0B7\uF0B7\uF0B7\uF0B7\uF0B7', 40, 300)] }).verdict).toMatchObject({ reason: 'unmapped_glyphs' });
  });

  it('counts glyphs painted without any Unicode as unmapped', () => {
    const result = judge({ runs: [run('Ok', 50, 700)], emptyGlyphs: 40 });
    expect(result.verdict).toMatchObject({ source: 'ocr', reason: 'unmapped_glyphs' });
    expect(result.stats).toMatchObject({ chars: 42, unmappedChars: 40 });
  });

  it('drops a little invisible text and keeps the visible rest', () => {
    const visible = Array.from({ length: 5 }, (_, i) => run('Visible words on the page', 50, 700 - i * 14));
    const result = judge({ runs: [...visible, run('hidden', 50, 100, { renderMode: 3 })] });
    expect(result.verdict.source).toBe('text_layer');
    expect(result.stats.invisibleChars).toBe(6);
  });

  it('merges touching image strips into one region before sizing them', () => {
    // A scan stored as 20 strips 10 pt tall: each alone is too thin to hold a line.
    const strips = Array.from({ length: 20 }, (_, i) => image(100, 200 + i * 10, 300, 10, 1));
    expect(textImageRegions({ runs: [], images: strips, fills: [], annotations: [], pathPaints: 0, emptyGlyphs: 0 })).toEqual([{ x: 100, y: 200, width: 300, height: 200 }]);
    const result = judge({ runs: [run('Caption', 100, 700)], images: strips });
    expect(result.verdict).toEqual({ source: 'mixed', reason: 'image_regions', imageRegions: [{ x: 100, y: 400, width: 300, height: 200 }] });
  });

  it('skips images with too few samples to hold a glyph (rules, gradients)', () => {
    expect(judge({ runs: [run('Text', 50, 700)], images: [image(0, 300, 600, 200, 1, 4)] }).verdict.source).toBe('text_layer');
  });

  it('keeps a page-sized image as a region when trusted text lies beside it', () => {
    const result = judge({ runs: [run('Typed note', 10, 790)], images: [image(0, 0, 600, 760)] });
    expect(result.verdict).toMatchObject({ source: 'mixed', imageRegions: [{ x: 0, y: 40, width: 600, height: 760 }] });
  });
});
