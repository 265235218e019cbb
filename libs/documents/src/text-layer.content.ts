import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { FilledArea, PageContent, PaintedImage, PdfOps, TextGlyph, TextRun } from './text-layer.types.ts';
import { applyMatrix, boundsOf, matrixOf, multiplyMatrix, IDENTITY, type Matrix } from './text-layer.geometry.ts';
import { attachSpacingAccents, isWhitespace } from './text-layer.chars.ts';
import { OpTextRuns, verticalMetrics, type FontFacts, type OpGlyph } from './text-layer.op-runs.ts';

/** A character of the operator list's text, tied to the glyph that paints it. */
interface PaintedChar {
  char: string;
  /** Advance in em (1/1000 of glyph space), this character's share of its glyph. */
  advance: number;
  renderMode: number;
  paintOrder: number;
  lightFill: boolean;
}

/** Relative advance of a character whose glyph could not be tied to it (typical Latin widths, em). */
const UNKNOWN_ADVANCE = 0.5;
const UNKNOWN_SPACE_ADVANCE = 0.28;
/**
 * When more than this share of the text content's characters cannot be matched one to one with
 * the operator list's glyphs (bidi reordering, exotic fonts), glyph facts are dropped for the
 * whole page rather than attached to the wrong characters.
 */
const MAX_ALIGN_MISMATCH = 0.05;


interface GraphicsState {
  ctm: Matrix;
  renderMode: number;
  /** The fill colour is too light to see on white. */
  lightFill: boolean;
  /** Fills paint opaquely (alpha ≥ `OPAQUE_ALPHA`, normal blending). */
  opaque: boolean;
}

interface OperatorFacts {
  chars: PaintedChar[];
  images: PaintedImage[];
  fills: FilledArea[];
  pathPaints: number;
  emptyGlyphs: number;
}

/** Luminance (0–255) above which a fill disappears on white paper: pure white and the faintest greys that tools use for hidden text. */
const LIGHT_LUMINANCE = 240;
/** A fill this opaque hides what lies under it. */
const OPAQUE_ALPHA = 0.9;

/** Whether a `#rrggbb` colour is too light to see on white. Anything else (patterns) counts as visible. */
export function isLightColour(colour: unknown): boolean {
  if (typeof colour !== 'string' || !/^#[0-9a-f]{6}$/i.test(colour)) return false;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b >= LIGHT_LUMINANCE;
}

function unitSquare(m: Matrix): PaintedImage['corners'] {
  return [applyMatrix(m, [0, 0]), applyMatrix(m, [1, 0]), applyMatrix(m, [1, 1]), applyMatrix(m, [0, 1])];
}

function sizeOf(value: unknown): { width: number; height: number } {
  const v = value as { width?: unknown; height?: unknown } | null;
  return {
    width: typeof v?.width === 'number' ? v.width : 0,
    height: typeof v?.height === 'number' ? v.height : 0,
  };
}

/**
 * Walks an operator list once: the current transform through save/restore/transform and form
 * XObjects, the text render mode, every painted glyph's text and advance, and every image with
 * the unit square it fills.
 */
export function walkOperators(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, ops: PdfOps, text?: OpTextRuns): OperatorFacts {
  const pathOps = new Set(
    ['fill', 'eoFill', 'stroke', 'fillStroke', 'eoFillStroke', 'closeStroke', 'closeFillStroke', 'closeEOFillStroke']
      .map((n) => ops[n])
      .filter((n): n is number => n !== undefined),
  );
  const stack: GraphicsState[] = [];
  let state: GraphicsState = { ctm: IDENTITY, renderMode: 0, lightFill: false, opaque: true };
  const fillOps = new Set(
    ['fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke'].map((n) => ops[n]).filter((n): n is number => n !== undefined),
  );
  const chars: PaintedChar[] = [];
  const images: PaintedImage[] = [];
  const fills: FilledArea[] = [];
  let pathPaints = 0;
  let emptyGlyphs = 0;
  const image = (m: Matrix, size: { width: number; height: number }, kind: PaintedImage['kind'], order: number): void => {
    images.push({ corners: unitSquare(m), pixelWidth: size.width, pixelHeight: size.height, kind, paintOrder: order });
  };

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    // Before this operator changes the state: the text reader keeps its own, in step.
    if (text && fn !== undefined) text.op(fn, args, i, state.ctm, state.renderMode, state.lightFill);
    switch (fn) {
      case ops.save:
        stack.push(state);
        break;
      case ops.restore:
        state = stack.pop() ?? state;
        break;
      case ops.transform: {
        const m = matrixOf(args);
        if (m) state = { ...state, ctm: multiplyMatrix(state.ctm, m) };
        break;
      }
      case ops.paintFormXObjectBegin: {
        stack.push(state);
        const m = matrixOf(args[0]);
        if (m) state = { ...state, ctm: multiplyMatrix(state.ctm, m) };
        break;
      }
      case ops.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case ops.setFillRGBColor:
        state = { ...state, lightFill: isLightColour(args[0]) };
        break;
      case ops.setFillColorN:
      case ops.shadingFill:
        state = { ...state, lightFill: false };
        break;
      case ops.setGState: {
        let opaque = state.opaque;
        for (const entry of (Array.isArray(args[0]) ? args[0] : []) as unknown[]) {
          if (!Array.isArray(entry)) continue;
          const [key, value] = entry as [unknown, unknown];
          if (key === 'ca' && typeof value === 'number') opaque = value >= OPAQUE_ALPHA;
          if (key === 'BM') opaque = opaque && (value === 'source-over' || value === 'normal' || value === 'Normal');
        }
        state = { ...state, opaque };
        break;
      }
      case ops.constructPath: {
        pathPaints++;
        const minMax = args[2] as ArrayLike<number> | null | undefined;
        if (fillOps.has(args[0] as number) && state.opaque && minMax && minMax.length === 4) {
          const [x0, y0, x1, y1] = [minMax[0]!, minMax[1]!, minMax[2]!, minMax[3]!];
          const corners = ([[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as Array<[number, number]>).map((p) => applyMatrix(state.ctm, p));
          fills.push({ box: boundsOf(corners), light: state.lightFill, paintOrder: i });
        }
        break;
      }
      case ops.setTextRenderingMode:
        if (typeof args[0] === 'number') state = { ...state, renderMode: args[0] };
        break;
      case ops.showText: {
        const glyphs = Array.isArray(args[0]) ? (args[0] as unknown[]) : [];
        for (const g of glyphs) {
          if (typeof g !== 'object' || g === null) continue;
          const glyph = g as OpGlyph;
          const text = [...(glyph.unicode ?? '')];
          if (text.length === 0 && !glyph.isSpace) emptyGlyphs++;
          const advance = (typeof glyph.width === 'number' ? glyph.width : 0) / 1000;
          for (const char of text) {
            chars.push({ char, advance: advance / text.length, renderMode: state.renderMode, paintOrder: i, lightFill: state.lightFill });
          }
        }
        break;
      }
      case ops.paintImageXObject:
        image(state.ctm, { width: Number(args[1]) || 0, height: Number(args[2]) || 0 }, 'image', i);
        break;
      case ops.paintInlineImageXObject:
        image(state.ctm, sizeOf(args[0]), 'inline', i);
        break;
      case ops.paintImageMaskXObject:
        image(state.ctm, sizeOf(args[0]), 'mask', i);
        break;
      case ops.paintImageXObjectRepeat: {
        const [, scaleX, scaleY, positions] = args as [unknown, number, number, ArrayLike<number>];
        for (let p = 0; p + 1 < (positions?.length ?? 0); p += 2) {
          const m = multiplyMatrix(state.ctm, [scaleX, 0, 0, scaleY, positions[p]!, positions[p + 1]!]);
          image(m, { width: 0, height: 0 }, 'image', i);
        }
        break;
      }
      case ops.paintImageMaskXObjectRepeat: {
        const [img, scaleX, skewX, skewY, scaleY, positions] = args as [unknown, number, number, number, number, ArrayLike<number>];
        for (let p = 0; p + 1 < (positions?.length ?? 0); p += 2) {
          const m = multiplyMatrix(state.ctm, [scaleX, skewX ?? 0, skewY ?? 0, scaleY, positions[p]!, positions[p + 1]!]);
          image(m, sizeOf(img), 'mask', i);
        }
        break;
      }
      case ops.paintImageMaskXObjectGroup:
        for (const img of (Array.isArray(args[0]) ? args[0] : []) as Array<{ transform?: unknown }>) {
          const t = matrixOf(img.transform);
          if (t) image(multiplyMatrix(state.ctm, t), sizeOf(img), 'mask', i);
        }
        break;
      case ops.paintInlineImageXObjectGroup:
        for (const entry of (Array.isArray(args[1]) ? args[1] : []) as Array<{ transform?: unknown }>) {
          const t = matrixOf(entry.transform);
          if (t) image(multiplyMatrix(state.ctm, t), sizeOf(args[0]), 'inline', i);
        }
        break;
      default:
        if (fn !== undefined && pathOps.has(fn)) pathPaints++;
    }
  }
  return { chars, images, fills, pathPaints, emptyGlyphs };
}

/** A text-content item that carries text (pdfjs also yields marked-content markers). */
export type TextContentItem = Pick<TextItem, 'str' | 'transform' | 'width' | 'height' | 'fontName' | 'hasEOL'>;

export interface FontStyle {
  ascent?: number;
  descent?: number;
  vertical?: boolean;
}

/**
 * Ties every character of the text content to the operator-list glyph that paints it, in order.
 * Whitespace pdfjs inserted for gaps has no glyph (null). Returns null for every character when
 * the two streams disagree beyond `MAX_ALIGN_MISMATCH`.
 */
export function alignCharacters(items: readonly TextContentItem[], painted: readonly PaintedChar[]): Array<Array<PaintedChar | null>> {
  let j = 0;
  let mismatches = 0;
  let total = 0;
  const out = items.map((item) =>
    [...item.str].map((ch) => {
      const white = isWhitespace(ch);
      if (!white) total++;
      // Skip painted whitespace that the text content dropped.
      while (!white && j < painted.length && isWhitespace(painted[j]!.char) && painted[j]!.char !== ch) j++;
      const p = painted[j];
      if (p && p.char === ch) {
        j++;
        return p;
      }
      if (white) return null;
      mismatches++;
      // Assume a substitution: keep both streams moving so one odd glyph does not shift the rest.
      j++;
      return null;
    }),
  );
  if (total > 0 && mismatches / total > MAX_ALIGN_MISMATCH) return out.map((chars) => chars.map(() => null));
  return out;
}

/** Builds runs with per-character advances (user space) fitted to each item's measured width. */
export function buildRuns(
  items: readonly TextContentItem[],
  styles: Readonly<Record<string, FontStyle>>,
  aligned: ReadonlyArray<ReadonlyArray<PaintedChar | null>>,
): TextRun[] {
  const runs: TextRun[] = [];
  items.forEach((item, index) => {
    const chars = [...item.str];
    if (chars.length === 0) {
      if (item.hasEOL && runs.length > 0) runs[runs.length - 1]!.endOfLine = true;
      return;
    }
    const [a, b, c, d] = item.transform as number[];
    const style = styles[item.fontName] ?? {};
    const vertical = style.vertical === true;
    // Vertical writing advances down the glyphs' y axis, its length in `height` (pdfjs).
    const length = vertical ? item.height : item.width;
    const along = vertical ? Math.hypot(c!, d!) : Math.hypot(a!, b!);
    const painted = aligned[index] ?? [];
    // Advances in em: the glyph's own where known; gap whitespace shares what the item's
    // measured length leaves over; unknown glyphs get typical widths. Then scale to the length.
    // Vertical glyphs advance by their vertical metrics, which pdfjs does not pass on: one em each.
    const known = chars.map((ch, k) => (vertical && painted[k] ? 1 : painted[k]?.advance) ?? (isWhitespace(ch) ? Number.NaN : UNKNOWN_ADVANCE));
    const measuredEm = along > 0 ? length / along : 0;
    const knownSum = known.reduce((s, x) => (Number.isNaN(x) ? s : s + x), 0);
    const gaps = known.filter((x) => Number.isNaN(x)).length;
    const gapEm = gaps > 0 ? Math.max(UNKNOWN_SPACE_ADVANCE, (measuredEm - knownSum) / gaps) : 0;
    const em = known.map((x) => (Number.isNaN(x) ? gapEm : x));
    const sum = em.reduce((s, x) => s + x, 0);
    const scale = sum > 0 ? length / sum : 0;
    let at = 0;
    const glyphs: TextGlyph[] = chars.map((text, k) => {
      const start = at;
      at += em[k]! * scale;
      const p = painted[k];
      return { text, start, end: at, renderMode: p ? p.renderMode : null, paintOrder: p ? p.paintOrder : -1, lightFill: p ? p.lightFill : null };
    });
    const joined = attachSpacingAccents(glyphs);
    runs.push({
      text: joined.map((g) => g.text).join(''),
      transform: item.transform as TextRun['transform'],
      width: length,
      height: Math.hypot(c!, d!),
      ...verticalMetrics(style),
      vertical,
      fontId: item.fontName,
      glyphs: joined,
      endOfLine: item.hasEOL,
    });
  });
  return runs;
}

/** pdfjs's annotation flags: hidden annotations are neither rendered nor read. */
const ANNOTATION_HIDDEN = 2;
const ANNOTATION_NO_VIEW = 32;

/** What pdfjs's `getAnnotations` says of an annotation (the part used here). */
interface AnnotationData {
  subtype?: unknown;
  rect?: unknown;
  annotationFlags?: unknown;
  fieldType?: unknown;
  fieldValue?: unknown;
}

/**
 * Rectangles of the annotations whose appearance shows text the content stream does not hold:
 * text and choice fields with a value, free-text notes, stamps. Hidden ones are left out.
 */
export function textAnnotationRects(annotations: readonly AnnotationData[]): Array<{ x: number; y: number; width: number; height: number }> {
  const rects: Array<{ x: number; y: number; width: number; height: number }> = [];
  for (const a of annotations) {
    const flags = typeof a.annotationFlags === 'number' ? a.annotationFlags : 0;
    if (flags & (ANNOTATION_HIDDEN | ANNOTATION_NO_VIEW)) continue;
    const value = a.fieldValue;
    const filled = (typeof value === 'string' && value.trim() !== '') || (Array.isArray(value) && value.length > 0);
    const shows =
      (a.subtype === 'Widget' && (a.fieldType === 'Tx' || a.fieldType === 'Ch') && filled) || a.subtype === 'FreeText' || a.subtype === 'Stamp';
    const r = asRect(a.rect);
    if (shows && r) rects.push(r);
  }
  return rects;
}

function asRect(value: unknown): { x: number; y: number; width: number; height: number } | null {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return null;
  const [x0, y0, x1, y1] = Array.from(value as ArrayLike<number>);
  if (![x0, y0, x1, y1].every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  return { x: Math.min(x0!, x1!), y: Math.min(y0!, y1!), width: Math.abs(x1! - x0!), height: Math.abs(y1! - y0!) };
}

/** pdfjs's exported data of each font the operator list sets, by id (fonts that failed to load left out). */
async function fontFactsOf(page: PDFPageProxy, fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, ops: PdfOps): Promise<Map<string, FontFacts>> {
  const ids = new Set<string>();
  for (let i = 0; i < fnArray.length; i++) {
    if (fnArray[i] !== ops.setFont) continue;
    const id = (argsArray[i] as unknown[] | undefined)?.[0];
    if (typeof id === 'string') ids.add(id);
  }
  const facts = new Map<string, FontFacts>();
  for (const id of ids) {
    // Fonts arrive before the operators that use them, but pdfjs resolves them a tick later.
    const font: unknown = page.commonObjs.has(id) ? page.commonObjs.get(id) : await new Promise((resolve) => page.commonObjs.get(id, resolve));
    if (typeof font === 'object' && font !== null) facts.set(id, font as FontFacts);
  }
  return facts;
}

/**
 * Reads a page's text runs and its painted images from its operator list, the glyphs placed by
 * following the text state (`OpTextRuns`). Pages with text that reader does not follow are read
 * through pdfjs `getTextContent` as well (normalisation off so ligatures and compatibility
 * characters come as the font maps them), its items tied to the operator list's glyphs.
 * Annotations are left out of both (their appearances are not the page's content); those that
 * show text are listed by their rectangles, for OCR.
 */
export async function readPageContent(page: PDFPageProxy, ops: PdfOps, annotationModeDisable: number): Promise<PageContent> {
  const [list, annotations] = await Promise.all([
    page.getOperatorList({ annotationMode: annotationModeDisable }),
    page.getAnnotations({ intent: 'display' }) as Promise<AnnotationData[]>,
  ]);
  const fonts = await fontFactsOf(page, list.fnArray, list.argsArray, ops);
  const reader = new OpTextRuns(ops, (id) => fonts.get(id));
  const facts = walkOperators(list.fnArray, list.argsArray, ops, reader);
  let runs = reader.runs();
  if (!runs) {
    const text = await page.getTextContent({ disableNormalization: true, includeMarkedContent: false });
    const items = text.items.filter((it): it is TextItem => 'str' in it);
    runs = buildRuns(items, text.styles as Record<string, FontStyle>, alignCharacters(items, facts.chars));
  }
  return {
    runs,
    images: facts.images,
    fills: facts.fills,
    annotations: textAnnotationRects(annotations),
    pathPaints: facts.pathPaints,
    emptyGlyphs: facts.emptyGlyphs,
  };
}
