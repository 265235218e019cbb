import { describe, expect, it } from 'vitest';
import type { Matrix } from './text-layer.geometry.ts';
import type { TextGlyph, TextLayerQuad, TextLayerWord, TextRun } from './text-layer.types.ts';
import { buildWords, expandLigatures, groupLines, hullQuad, lineQuad, partitionByDirection } from './text-layer.words.ts';

/** A run of 10-pt text at (x, y) in user space, each character 5 pt wide, along `angle` degrees. */
function run(text: string, x: number, y: number, options: { angle?: number; renderMode?: number; endOfLine?: boolean } = {}): TextRun {
  const rad = ((options.angle ?? 0) * Math.PI) / 180;
  const [c, s] = [Math.cos(rad), Math.sin(rad)];
  const glyphs: TextGlyph[] = [...text].map((ch, i) => ({ text: ch, start: i * 5, end: (i + 1) * 5, renderMode: options.renderMode ?? 0, paintOrder: 1, lightFill: false }));
  return {
    text,
    transform: [10 * c, 10 * s, -10 * s, 10 * c, x, y],
    width: glyphs.length * 5,
    height: 10,
    ascent: 0.8,
    descent: -0.2,
    vertical: false,
    fontId: 'f1',
    glyphs,
    endOfLine: options.endOfLine ?? false,
  };
}

/** A 100 × 200 pt page at 144 dpi: user space (y up) to pixels (y down). */
const TO_PIXELS: Matrix = [2, 0, 0, -2, 0, 400];

const rounded = (q: TextLayerQuad): number[][] => q.map((p) => p.map((v) => Math.round(v * 100) / 100));

describe('expandLigatures', () => {
  it('expands the Latin ligatures and nothing else', () => {
    expect(expandLigatures('ﬁ ﬂ ﬀ ﬃ ﬄ')).toBe('fi fl ff ffi ffl');
    expect(expandLigatures('€ é ² ½ ™ Ａ')).toBe('€ é ² ½ ™ Ａ');
  });
});

describe('buildWords', () => {
  it('splits runs at whitespace into words with quads in pixels, clockwise from the top-left', () => {
    const words = buildWords([run('ab cd', 10, 100)], TO_PIXELS);
    expect(words.map((w) => [w.text, w.confidence, w.run])).toEqual([
      ['ab', 1, 0],
      ['cd', 1, 0],
    ]);
    // "ab": x 10–20 pt, baseline y = 100 pt, ascent 8 pt above and descent 2 pt below.
    expect(rounded(words[0]!.quad)).toEqual([
      [20, 184],
      [40, 184],
      [40, 204],
      [20, 204],
    ]);
  });

  it('rotates the quads of a rotated run (reading upwards)', () => {
    const [word] = buildWords([run('ab', 50, 20, { angle: 90 })], TO_PIXELS);
    expect(rounded(word!.quad)).toEqual([
      [84, 360],
      [84, 340],
      [104, 340],
      [104, 360],
    ]);
  });

  it('lays vertical writing down its column, centred on the origin, read top to bottom', () => {
    const [word] = buildWords([{ ...run('ab', 50, 150), vertical: true }], TO_PIXELS);
    expect(rounded(word!.quad)).toEqual([
      [110, 100],
      [110, 120],
      [90, 120],
      [90, 100],
    ]);
  });

  it('drops untrusted glyphs without splitting their word, and expands ligatures', () => {
    const words = buildWords([run('o\uE000ﬃce x', 0, 100)], TO_PIXELS, (g) => g.text !== '\uE000');
    expect(words.map((w) => w.text)).toEqual(['office', 'x']);
  });

  it('joins a word split across runs (a font switch inside it), not runs a space apart', () => {
    const words = buildWords([run('Bold', 0, 100), run('face next', 20, 100)], TO_PIXELS);
    expect(words.map((w) => w.text)).toEqual(['Boldface', 'next']);
    expect(rounded(words[0]!.quad)[1]).toEqual([80, 184]);
    expect(buildWords([run('Two', 0, 100), run('words', 20.5 + 3, 100)], TO_PIXELS).map((w) => w.text)).toEqual(['Two', 'words']);
    expect(buildWords([run('End', 0, 100, { endOfLine: true }), run('next', 15, 100)], TO_PIXELS).map((w) => w.text)).toEqual(['End', 'next']);
  });
});

const word = (text: string, x: number, y: number, width: number, height = 10, run = 0): TextLayerWord => ({
  text,
  confidence: 1,
  run,
  quad: [
    [x, y],
    [x + width, y],
    [x + width, y + height],
    [x, y + height],
  ],
});

describe('groupLines', () => {
  it('keeps words with word gaps on one line and breaks at wide gaps and new baselines', () => {
    const lines = groupLines([word('Label:', 0, 0, 30), word('value', 34, 1, 25, 9), word('far', 120, 0, 15), word('below', 0, 14, 25)]);
    expect(lines.map((l) => l.map((w) => w.text).join(' '))).toEqual(['Label: value', 'far', 'below']);
  });
});

describe('hullQuad and lineQuad', () => {
  it('gives an upright rectangle around words of different heights', () => {
    expect(lineQuad([word('Big', 0, 0, 20, 12), word('small', 24, 3, 20, 8)])).toEqual([
      [0, 0],
      [44, 0],
      [44, 12],
      [0, 12],
    ]);
    expect(() => hullQuad([])).toThrow(RangeError);
  });
});

describe('partitionByDirection', () => {
  it('sets lines at another angle than most of the text apart', () => {
    const vertical: TextLayerWord = {
      text: 'note',
      confidence: 1,
      run: 3,
      quad: [
        [0, 100],
        [0, 60],
        [10, 60],
        [10, 100],
      ],
    };
    const { main, offAxis } = partitionByDirection([[word('main text', 20, 0, 80)], [word('more text', 20, 14, 80)], [vertical]]);
    expect(main.map((l) => l[0]!.text)).toEqual(['main text', 'more text']);
    expect(offAxis.map((l) => l[0]!.text)).toEqual(['note']);
  });
});

describe('buildWords with accents set apart', () => {
  it('puts an accent opening a run back on the letter that ends the run before', () => {
    const words = buildWords([run('Age', 0, 100), run('ˆncia de', 12, 100), run('Aviac', 0, 80), run('¸a', 22, 80), run('˜o', 27, 80)], TO_PIXELS);
    expect(words.map((w) => w.text)).toEqual(['Agência', 'de', 'Aviação']);
  });

  it('puts a lone leading accent on the letter after it', () => {
    expect(buildWords([run('ˆetre', 0, 100)], TO_PIXELS).map((w) => w.text)).toEqual(['être']);
  });
});
