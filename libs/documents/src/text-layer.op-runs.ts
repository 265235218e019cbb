import type { PdfOps, TextGlyph, TextRun } from './text-layer.types.ts';
import { matrixOf, multiplyMatrix, IDENTITY, type Matrix } from './text-layer.geometry.ts';
import { attachSpacingAccents } from './text-layer.chars.ts';

/**
 * Text runs placed from the operator list alone: the page's text state (PDF 9.3: Tm, Td, T*, Tc,
 * Tw, Tz, Ts, Tf) followed through the `showText` operators as pdfjs's canvas follows it when it
 * paints, each glyph at the advance it is painted with. This spares reading the content stream a
 * second time through pdfjs's `getTextContent` (which rebuilds the same positions to group them
 * into items), and places glyphs where they are painted rather than spreading an item's width
 * over its glyphs. What it does not follow (vertical writing, mirrored or skewed font matrices,
 * right-to-left scripts, whose logical order `getTextContent` restores) makes it give up:
 * `runs()` is then null and the page is read the other way.
 */

/** What the reader needs of a font (pdfjs's exported font data; fractions of the font size). */
export interface FontFacts {
  ascent?: number;
  descent?: number;
  vertical?: boolean;
  isType3Font?: boolean;
  fontMatrix?: number[];
}

/** Fallback ascent/descent (fractions of the font size) when pdfjs knows none: Helvetica's, rounded. */
const DEFAULT_ASCENT = 0.8;
const DEFAULT_DESCENT = -0.2;

/** A font's ascent and descent (fractions of the font size), Helvetica's where pdfjs knows none. */
export function verticalMetrics(font: { ascent?: number; descent?: number }): { ascent: number; descent: number } {
  return {
    ascent: font.ascent && font.ascent > 0 ? font.ascent : DEFAULT_ASCENT,
    descent: font.descent && font.descent < 0 ? font.descent : DEFAULT_DESCENT,
  };
}
/**
 * A gap wider than this (em) between two glyphs of a line is a word space, as pdfjs's text content
 * decides (its TRACKING_SPACE_FACTOR): the run is cut there and the new one opens with a space.
 */
const SPACE_GAP_EM = 0.102;
/** A step back wider than this (em) ends pdfjs's text item (NEGATIVE_SPACE_FACTOR): the run is cut there, no space. */
const BACK_STEP_EM = -0.2;
/** A following run sits on the line of the one before when its baseline is this close (em). */
const SAME_LINE_EM = 0.5;
/** Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;

const num = (args: readonly unknown[], k: number): number => (typeof args[k] === 'number' ? (args[k] as number) : 0);

interface TextState {
  font: string;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  /** Text matrix, and the pen's position in its space (pdfjs canvas: textMatrix, x, y). */
  tm: Matrix;
  x: number;
  y: number;
  lineX: number;
  lineY: number;
}

const initialState = (): TextState => ({ font: '', size: 0, charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0, tm: IDENTITY, x: 0, y: 0, lineX: 0, lineY: 0 });

/** One glyph of a `showText` operator as pdfjs serialises it (other fields ignored). */
export interface OpGlyph {
  unicode?: string;
  width?: number;
  isSpace?: boolean;
}

/** Where the last run ended, to judge whether the next one continues its line after a space. */
interface RunEnd {
  /** Text → user space of the run's font at its end, font size included. */
  m: Matrix;
}

export class OpTextRuns {
  private state = initialState();
  private readonly stack: TextState[] = [];
  private readonly out: TextRun[] = [];
  private failed = false;
  private last: RunEnd | null = null;

  constructor(
    private readonly ops: PdfOps,
    private readonly fonts: (id: string) => FontFacts | undefined,
  ) {}

  /** The runs, or null when the page holds text this reader does not follow. */
  runs(): TextRun[] | null {
    return this.failed ? null : this.out;
  }

  private save(): void {
    this.stack.push({ ...this.state });
  }

  private restore(): void {
    this.state = this.stack.pop() ?? this.state;
  }

  /** Follows one operator (any: others are ignored); the graphics state's transform, render mode and fill for glyphs painted now. */
  op(fn: number, args: unknown[], order: number, ctm: Matrix, renderMode: number, lightFill: boolean): void {
    const { ops } = this;
    const s = this.state;
    switch (fn) {
      case ops.save:
      case ops.paintFormXObjectBegin:
        this.save();
        break;
      case ops.restore:
      case ops.paintFormXObjectEnd:
        this.restore();
        break;
      case ops.beginText:
        s.tm = IDENTITY;
        s.x = s.y = s.lineX = s.lineY = 0;
        break;
      case ops.setTextMatrix: {
        // pdfjs passes the six numbers as one typed array (older releases: as the arguments).
        const m = matrixOf(args.length === 1 ? args[0] : args);
        if (m) s.tm = m;
        s.x = s.y = s.lineX = s.lineY = 0;
        break;
      }
      case ops.moveText:
        s.x = s.lineX += num(args, 0);
        s.y = s.lineY += num(args, 1);
        break;
      case ops.setLeadingMoveText:
        s.leading = num(args, 1);
        s.x = s.lineX += num(args, 0);
        s.y = s.lineY += num(args, 1);
        break;
      case ops.nextLine:
        s.x = s.lineX;
        s.y = s.lineY += s.leading;
        break;
      case ops.setLeading:
        s.leading = -num(args, 0);
        break;
      case ops.setCharSpacing:
        s.charSpacing = num(args, 0);
        break;
      case ops.setWordSpacing:
        s.wordSpacing = num(args, 0);
        break;
      case ops.setHScale:
        s.hScale = num(args, 0) / 100;
        break;
      case ops.setTextRise:
        s.rise = num(args, 0);
        break;
      case ops.setFont:
        s.font = typeof args[0] === 'string' ? args[0] : '';
        s.size = num(args, 1);
        break;
      case ops.showText:
        this.show(Array.isArray(args[0]) ? (args[0] as unknown[]) : [], order, ctm, renderMode, lightFill);
        break;
      default:
    }
  }

  private show(glyphs: readonly unknown[], order: number, ctm: Matrix, renderMode: number, lightFill: boolean): void {
    const s = this.state;
    const font = this.fonts(s.font);
    const fm = font?.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0];
    // Type3 glyphs advance as any others (their matrix may flip the glyphs' y, which only their drawing sees).
    if (!font || font.vertical || !(s.size > 0) || !(s.hScale > 0) || fm[1] !== 0 || fm[2] !== 0 || !(fm[0]! > 0) || (fm[4] ?? 0) !== 0) {
      if (glyphs.some((g) => typeof g === 'object' && g !== null && (g as OpGlyph).unicode)) this.failed = true;
      return;
    }
    // Text space (of the pen, before the font size) → user space; one unit along x, in user units.
    const m = multiplyMatrix(ctm, s.tm);
    const unitX = Math.hypot(m[0], m[1]);
    const size = s.size;
    const { ascent, descent } = verticalMetrics(font);
    let run: { glyphs: TextGlyph[]; x0: number; length: number } | null = null;
    let runSpace = false;
    const flush = (): void => {
      if (run && run.glyphs.length > 0) {
        const transform = multiplyMatrix(m, [size * s.hScale, 0, 0, size, run.x0, s.y + s.rise]);
        const joined = attachSpacingAccents(run.glyphs);
        this.out.push({
          text: joined.map((g) => g.text).join(''),
          transform,
          width: run.length * unitX,
          height: Math.hypot(transform[2], transform[3]),
          ascent,
          descent,
          vertical: false,
          fontId: s.font,
          glyphs: joined,
          endOfLine: false,
        });
        this.last = { m: multiplyMatrix(m, [size * s.hScale, 0, 0, size, run.x0 + run.length, s.y + s.rise]) };
      }
      run = null;
    };
    const open = (space: boolean): { glyphs: TextGlyph[]; x0: number; length: number } => {
      const r = { glyphs: [] as TextGlyph[], x0: s.x, length: 0 };
      if (space) r.glyphs.push({ text: ' ', start: 0, end: 0, renderMode: null, paintOrder: -1, lightFill: null });
      return r;
    };
    // A run that starts a word space after the last one on its line opens with that space.
    runSpace = this.spaceBefore(m, size * s.hScale, size);
    const em = size * s.hScale;
    // Pen movement since the last glyph's ink ended (char and word spacing, TJ adjustments).
    let gap = 0;
    for (const g of glyphs) {
      if (typeof g === 'number') {
        // TJ adjustment: thousandths of an em, positive moves back.
        const shift = (-g * size * s.hScale) / 1000;
        s.x += shift;
        gap += shift;
        continue;
      }
      if (typeof g !== 'object' || g === null) continue;
      const glyph = g as OpGlyph;
      const text = glyph.unicode ?? '';
      if (text.charCodeAt(0) >= 0x590 && RTL.test(text)) this.failed = true;
      // As pdfjs's text content: a gap past a word space is a space, a step back past a fifth of an em a new item.
      if (run && (gap > SPACE_GAP_EM * em || gap < BACK_STEP_EM * em)) {
        flush();
        runSpace = gap > 0;
      }
      const width = (typeof glyph.width === 'number' ? glyph.width : 0) * fm[0]! * size * s.hScale;
      if (text !== '') {
        run ??= open(runSpace);
        runSpace = false;
        const start = (s.x - run.x0) * unitX;
        const chars = [...text];
        const share = (width * unitX) / chars.length;
        for (let k = 0; k < chars.length; k++) {
          run.glyphs.push({ text: chars[k]!, start: start + k * share, end: start + (k + 1) * share, renderMode, paintOrder: order, lightFill });
        }
        run.length = s.x + width - run.x0;
      }
      const spacing = (s.charSpacing + (glyph.isSpace ? s.wordSpacing : 0)) * s.hScale;
      s.x += width + spacing;
      gap = spacing;
    }
    flush();
  }

  /** Whether a run starting at the pen (text space `m`) lies on the last run's line, a word space after its end. */
  private spaceBefore(m: Matrix, sizeX: number, size: number): boolean {
    if (!this.last) return false;
    const s = this.state;
    const here = multiplyMatrix(m, [sizeX, 0, 0, size, s.x, s.y + s.rise]);
    const prev = this.last.m;
    // The new run's origin in the last run's em space (x along its baseline, y across it).
    const det = prev[0] * prev[3] - prev[1] * prev[2];
    if (det === 0) return false;
    const dx = here[4] - prev[4];
    const dy = here[5] - prev[5];
    const ex = (prev[3] * dx - prev[2] * dy) / det;
    const ey = (-prev[1] * dx + prev[0] * dy) / det;
    // Same direction and line, and a gap pdfjs would fill with a space.
    const sameDirection = prev[0] * here[0] + prev[1] * here[1] > 0.99 * Math.hypot(prev[0], prev[1]) * Math.hypot(here[0], here[1]);
    return sameDirection && Math.abs(ey) < SAME_LINE_EM && ex > SPACE_GAP_EM;
  }
}
