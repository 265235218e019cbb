import type { PageContent, PixelBox, TextGlyph, TextLayerPoint, TextLayerStats, TextLayerVerdict, TextLayerWord } from './text-layer.types.ts';
import { applyMatrix, BoxIndex, boundsOf, boxArea, boxContains, intersectBoxes, quadCenter, type Matrix } from './text-layer.geometry.ts';
import { isWhitespace } from './text-layer.chars.ts';
import { frameOf } from './text-layer.words.ts';

/*
 * Thresholds. Each is a share of a page's characters or area, chosen from what documents of a
 * kind look like, never from one file: a healthy text layer scores ~0 on every bad-glyph
 * measure, a broken font scores near 1, so the cut sits far from both.
 */

/** Runs of this many consecutive private-use/U+FFFD glyphs are a font without a usable ToUnicode; one or two are icon fonts (Wingdings bullets, check boxes). */
export const UNMAPPED_RUN = 3;
/** Share of the page's characters in such runs above which the page is not read from its text layer. */
export const MAX_UNMAPPED_RUN_SHARE = 0.01;
/** Share of scattered unmapped glyphs tolerated: symbol fonts sprinkle a few per page, a broken font maps most of its text there. */
export const MAX_UNMAPPED_SHARE = 0.05;
/** Control characters (C0/C1 other than whitespace) are what Identity-encoded fonts without ToUnicode yield; text never contains them. */
export const MAX_CONTROL_SHARE = 0.02;
/** Letters in words that mix scripts (Latin with Cyrillic inside one word) or in a script under `MINOR_SCRIPT_SHARE` of the page: a few are names and symbols (µ, Ω), a wrong cmap makes many. */
export const MAX_STRAY_SHARE = 0.15;
export const MINOR_SCRIPT_SHARE = 0.03;
/** Invisible text (render mode 3/7) above this share: the page is a scan with a text layer of unknown quality (OCR'd elsewhere), to verify rather than trust. */
export const MAX_INVISIBLE_SHARE = 0.5;
/** Visible text painted over by a later image above this share: what shows is the image. */
export const MAX_HIDDEN_SHARE = 0.5;
/** Text outside the crop box above this share: the layer does not describe what renders. */
export const MAX_OFF_PAGE_SHARE = 0.5;
/** An image covering this share of the page is the page (a scan, or a full-page background). */
export const SCAN_COVER = 0.6;
/** Smaller side, in points, below which an image cannot hold a readable line (8-pt text needs ~10 pt with its descenders). */
export const MIN_TEXT_IMAGE_SIDE_PT = 10;
/** Smaller side, in samples, below which an image cannot hold a legible glyph (rules, gradients, 1-px fills). */
export const MIN_TEXT_IMAGE_SAMPLES = 12;
/**
 * An image whose area trusted text covers at least this share is a background the text layer
 * reads (letterheads, form backgrounds): running text covers 10–25 % of the area it sits on,
 * a few labels beside a photo or a figure far less.
 */
export const COVERED_TEXT_SHARE = 0.05;
/** Images closer than this (points) are one region: scanners write pages as strips or tiles. */
const IMAGE_MERGE_GAP_PT = 2;
/** Tolerance, in points, for glyphs touching the crop box edge. */
const EDGE_TOLERANCE_PT = 1;


export function isUnmapped(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    ch === '' ||
    cp === 0xfffd ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    cp >= 0xf0000 ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp & 0xfffe) === 0xfffe
  );
}

export const isControl = (ch: string): boolean => /^\p{Cc}$/u.test(ch) && !isWhitespace(ch);

/** Han, kana and Hangul mix inside words in CJK text, so they count as one group. */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u],
];

const scriptCache = new Map<string, string | null>();

/** The script group of a letter, `null` for digits, punctuation and marks. */
export function scriptOf(ch: string): string | null {
  const cp = ch.codePointAt(0) ?? 0;
  // ASCII answers without a regular expression: most characters of most pages.
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'Latin' : null;
  const known = scriptCache.get(ch);
  if (known !== undefined) return known;
  let script: string | null = null;
  if (/\p{L}/u.test(ch)) script = SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'Other';
  if (scriptCache.size < 10_000) scriptCache.set(ch, script);
  return script;
}

/** Letters that look like a wrong character map: in mixed-script words, or in a script the page barely uses. */
export function countStrayLetters(words: readonly string[]): number {
  const perScript = new Map<string, number>();
  let letters = 0;
  for (const w of words) {
    for (const ch of w) {
      const s = scriptOf(ch);
      if (s) {
        perScript.set(s, (perScript.get(s) ?? 0) + 1);
        letters++;
      }
    }
  }
  const minor = new Set([...perScript].filter(([, n]) => n < MINOR_SCRIPT_SHARE * letters).map(([s]) => s));
  let stray = 0;
  for (const w of words) {
    const scripts = new Set([...w].map(scriptOf).filter((s): s is string => s !== null));
    for (const ch of w) {
      const s = scriptOf(ch);
      if (s && (scripts.size > 1 || minor.has(s))) stray++;
    }
  }
  return stray;
}

/** Why a glyph is left out of the words; `null` when it is trusted. */
export type GlyphFlaw = 'invisible' | 'unmapped' | 'control' | 'off_page' | 'hidden';

export interface PageGeometry {
  /** The crop box in user space `[x0, y0, x1, y1]` (pdfjs `page.view`). */
  view: [number, number, number, number];
  /** User space → page pixels (the render viewport's transform). */
  toPixels: Matrix;
  /** The page in pixels. */
  width: number;
  height: number;
}

function imageBox(corners: PageContent['images'][number]['corners']): PixelBox {
  return boundsOf(corners);
}

/** Judges each glyph: what would make its text differ from what the page shows. */
export function glyphFlaws(content: PageContent, geometry: PageGeometry): Map<TextGlyph, GlyphFlaw> {
  const [x0, y0, x1, y1] = geometry.view;
  const page: PixelBox = {
    x: Math.min(x0, x1) - EDGE_TOLERANCE_PT,
    y: Math.min(y0, y1) - EDGE_TOLERANCE_PT,
    width: Math.abs(x1 - x0) + 2 * EDGE_TOLERANCE_PT,
    height: Math.abs(y1 - y0) + 2 * EDGE_TOLERANCE_PT,
  };
  // What hides a glyph painted before it: opaque images and fills. What a light glyph needs under it to show: anything not light.
  const covers = new BoxIndex(
    [
      ...content.images.filter((im) => im.kind !== 'mask').map((im) => ({ box: imageBox(im.corners), order: im.paintOrder })),
      ...content.fills.map((f) => ({ box: f.box, order: f.paintOrder })),
    ],
    page,
  );
  const backdrops = new BoxIndex(
    [
      ...content.images.map((im) => ({ box: imageBox(im.corners), order: im.paintOrder })),
      ...content.fills.filter((f) => !f.light).map((f) => ({ box: f.box, order: f.paintOrder })),
    ],
    page,
  );
  const flaws = new Map<TextGlyph, GlyphFlaw>();
  for (const run of content.runs) {
    // pointAt, with the run's frame worked out once rather than per glyph.
    const { origin, u, v, h, top, bottom } = frameOf(run);
    const across = ((top + bottom) / 2) * h;
    for (const g of run.glyphs) {
      if (isWhitespace(g.text)) continue;
      const along = (g.start + g.end) / 2;
      const center: TextLayerPoint = [origin[0] + along * u[0] + across * v[0], origin[1] + along * u[1] + across * v[1]];
      let flaw: GlyphFlaw | null = null;
      if (g.renderMode === 3 || g.renderMode === 7) flaw = 'invisible';
      else if (g.lightFill && !backdrops.someAt(center, (b) => b.order < g.paintOrder)) flaw = 'invisible';
      else if (isUnmapped(g.text)) flaw = 'unmapped';
      else if (isControl(g.text)) flaw = 'control';
      else if (!boxContains(page, center)) flaw = 'off_page';
      else if (g.paintOrder >= 0 && covers.someAt(center, (c) => c.order > g.paintOrder)) flaw = 'hidden';
      if (flaw) flaws.set(g, flaw);
    }
  }
  return flaws;
}

/** Longest-run bookkeeping: characters that sit in runs of ≥ `UNMAPPED_RUN` consecutive unmapped glyphs. */
function unmappedRunChars(content: PageContent): number {
  let inRuns = 0;
  for (const run of content.runs) {
    let streak = 0;
    const close = (): void => {
      if (streak >= UNMAPPED_RUN) inRuns += streak;
      streak = 0;
    };
    for (const g of run.glyphs) {
      if (isWhitespace(g.text)) continue;
      if (isUnmapped(g.text)) streak++;
      else close();
    }
    close();
  }
  return inRuns;
}

/** Images that may hold text, merged where they touch, in user space. */
export function textImageRegions(content: PageContent): PixelBox[] {
  const boxes = content.images
    .filter((im) => im.pixelWidth === 0 || Math.min(im.pixelWidth, im.pixelHeight) >= MIN_TEXT_IMAGE_SAMPLES)
    .map((im) => imageBox(im.corners));
  // Union boxes that touch until nothing changes (pages carry few images; quadratic is fine).
  const merged: PixelBox[] = [];
  for (const box of boxes) {
    let current = box;
    for (let i = merged.length - 1; i >= 0; i--) {
      const m = merged[i]!;
      const grown = { x: m.x - IMAGE_MERGE_GAP_PT, y: m.y - IMAGE_MERGE_GAP_PT, width: m.width + 2 * IMAGE_MERGE_GAP_PT, height: m.height + 2 * IMAGE_MERGE_GAP_PT };
      if (intersectBoxes(grown, current)) {
        current = boundsOf([
          [m.x, m.y],
          [m.x + m.width, m.y + m.height],
          [current.x, current.y],
          [current.x + current.width, current.y + current.height],
        ]);
        merged.splice(i, 1);
        i = merged.length;
      }
    }
    merged.push(current);
  }
  return merged.filter((b) => Math.min(b.width, b.height) >= MIN_TEXT_IMAGE_SIDE_PT);
}

function toPixelBox(box: PixelBox, geometry: PageGeometry): PixelBox | null {
  const corners = boundsOf(
    [
      [box.x, box.y],
      [box.x + box.width, box.y],
      [box.x + box.width, box.y + box.height],
      [box.x, box.y + box.height],
    ].map((p) => applyMatrix(geometry.toPixels, p as [number, number])),
  );
  const clipped = intersectBoxes(corners, { x: 0, y: 0, width: geometry.width, height: geometry.height });
  if (!clipped) return null;
  // Whole pixels, rounded outwards, so a crop holds every pixel the image paints.
  const x = Math.floor(clipped.x);
  const y = Math.floor(clipped.y);
  return { x, y, width: Math.min(geometry.width, Math.ceil(clipped.x + clipped.width)) - x, height: Math.min(geometry.height, Math.ceil(clipped.y + clipped.height)) - y };
}

/** Share of `region` (page pixels) that the words' boxes cover. */
function wordCoverage(region: PixelBox, words: readonly TextLayerWord[]): number {
  let covered = 0;
  for (const w of words) {
    const hit = intersectBoxes(region, boundsOf(w.quad));
    if (hit && boxContains(region, quadCenter(w.quad))) covered += boxArea(hit);
  }
  return boxArea(region) > 0 ? covered / boxArea(region) : 0;
}

/**
 * The verdict for a page, from its content, each glyph's flaw and the trusted words (pixels).
 * Page-level failures send the whole page to OCR with a reason; images that may hold text and
 * that trusted text does not cover become regions to OCR (`mixed`).
 */
export function judgePage(
  content: PageContent,
  flaws: ReadonlyMap<TextGlyph, GlyphFlaw>,
  words: readonly TextLayerWord[],
  geometry: PageGeometry,
): { verdict: TextLayerVerdict; stats: TextLayerStats } {
  // Glyphs without any Unicode count as characters, all of them unmapped.
  let chars = content.emptyGlyphs;
  for (const r of content.runs) for (const g of r.glyphs) if (!isWhitespace(g.text)) chars++;
  const counts = new Map<GlyphFlaw, number>();
  for (const flaw of flaws.values()) counts.set(flaw, (counts.get(flaw) ?? 0) + 1);
  const count = (flaw: GlyphFlaw): number => counts.get(flaw) ?? 0;
  const invisible = count('invisible');
  const visible = chars - invisible;
  const regions = textImageRegions(content)
    .map((r) => toPixelBox(r, geometry))
    .filter((r): r is PixelBox => r !== null);
  // Annotations showing text: the text layer never holds it, so no coverage test applies.
  const annotationRegions = content.annotations
    .filter((r) => Math.min(r.width, r.height) >= MIN_TEXT_IMAGE_SIDE_PT)
    .map((r) => toPixelBox(r, geometry))
    .filter((r): r is PixelBox => r !== null);
  const pageArea = geometry.width * geometry.height;
  const stats: TextLayerStats = {
    chars,
    invisibleChars: invisible,
    hiddenChars: count('hidden'),
    unmappedChars: count('unmapped') + content.emptyGlyphs,
    controlChars: count('control'),
    strayChars: countStrayLetters(words.map((w) => w.text)),
    offPageChars: count('off_page'),
    largestImageShare: Math.max(0, ...regions.map((r) => boxArea(r) / pageArea)),
  };
  const ocr = (reason: NonNullable<TextLayerVerdict['reason']>): { verdict: TextLayerVerdict; stats: TextLayerStats } => ({
    verdict: { source: 'ocr', reason, imageRegions: [] },
    stats,
  });

  if (chars === 0) {
    if (regions.length === 0 && annotationRegions.length === 0 && content.images.length === 0 && content.pathPaints === 0) {
      return { verdict: { source: 'text_layer', imageRegions: [] }, stats };
    }
    return ocr(stats.largestImageShare >= SCAN_COVER ? 'scanned_page' : 'no_text_layer');
  }
  if (unmappedRunChars(content) > MAX_UNMAPPED_RUN_SHARE * chars || stats.unmappedChars > MAX_UNMAPPED_SHARE * chars) {
    return ocr('unmapped_glyphs');
  }
  if (stats.controlChars > MAX_CONTROL_SHARE * chars) return ocr('control_characters');
  if (invisible > MAX_INVISIBLE_SHARE * chars) return ocr('invisible_text');
  if (stats.offPageChars > MAX_OFF_PAGE_SHARE * visible) return ocr('text_off_page');
  if (stats.hiddenChars > MAX_HIDDEN_SHARE * visible) return ocr('text_under_image');
  const letters = words.reduce((n, w) => n + [...w.text].filter((ch) => scriptOf(ch) !== null).length, 0);
  if (letters > 0 && stats.strayChars > MAX_STRAY_SHARE * letters) return ocr('garbled_text');
  if (words.length === 0) return ocr(stats.largestImageShare >= SCAN_COVER ? 'scanned_page' : 'no_text_layer');

  const uncovered = [...regions.filter((r) => wordCoverage(r, words) < COVERED_TEXT_SHARE), ...annotationRegions];
  if (uncovered.length === 0) return { verdict: { source: 'text_layer', imageRegions: [] }, stats };
  // Even a page-sized image stays a region when trusted text lies beside it (typed notes on a
  // scan): OCR reads the image, the text layer the rest.
  return { verdict: { source: 'mixed', reason: 'image_regions', imageRegions: uncovered }, stats };
}
