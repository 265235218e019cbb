/**
 * The canonical page of a PDF page read from its text layer, alone (`text_layer`) or with the OCR
 * of its image regions (`mixed`). The words come in as structural types (libs/documents groups
 * them into lines: the engine imports no other lib), and go through the same layout stage as OCR
 * lines, so every dialect, the markdown and the review page read them unchanged.
 */
import { boundsOf } from '../geometry/index.ts';
import { layoutPage } from '../layout/index.ts';
import type { Line, OcrPage, PageSource, Quad, Word } from '../page.ts';
import type { Raster } from '../raster.ts';
import type { RecognizeOptions } from '../engine.types.ts';
import { maskToRegions, regionSheet, regionsOf, type RegionBox, type RegionPixels, type RegionSheet, type SheetSlot } from './region-sheet.ts';

export { maskToRegions, packRegions, regionSheet, regionsOf, SHEET_GAP, type RegionBox, type RegionPixels, type RegionSheet, type SheetSlot } from './region-sheet.ts';

/** One line of the text layer: words on one baseline, with the quad around them. */
export interface TextLayerLine {
  quad: Quad;
  words: ReadonlyArray<{ text: string; quad: Quad }>;
}

export interface TextLayerPageInput {
  /** Page pixels at `dpi` (the raster a render of the page would give); quads are in them. */
  width: number;
  height: number;
  dpi: number;
  /** Lines in the page's dominant direction. */
  main: readonly TextLayerLine[];
  /** Lines set at other angles (margin notes, stamps): laid out apart and read after the main text. */
  offAxis: readonly TextLayerLine[];
  source: Exclude<PageSource, 'ocr'>;
  /** Why the page is not read from its text layer alone (`image_regions`). */
  reason?: string;
  /** For `mixed`: lines OCR'd from the page's image regions, in page pixels (see `regionLines`). */
  ocrLines?: readonly Line[];
}

const toLine = (l: TextLayerLine): Line => {
  const words: Word[] = l.words.map((w) => ({ text: w.text, confidence: 1, quad: w.quad, origin: 'text_layer' }));
  return { text: words.map((w) => w.text).join(' '), confidence: 1, quad: l.quad, words };
};

/**
 * Builds the canonical page: text-layer lines (and OCR'd region lines) ordered by the layout stage;
 * off-axis lines after them. The page is upright as rendered (/Rotate is already in the quads), so
 * its rotation is 0.
 */
export function textLayerPage(input: TextLayerPageInput): OcrPage {
  const size = { width: input.width, height: input.height };
  const main = [...input.main.map(toLine), ...(input.ocrLines ?? [])];
  return {
    width: input.width,
    height: input.height,
    dpi: input.dpi,
    rotation: 0,
    source: input.source,
    ...(input.reason !== undefined ? { sourceReason: input.reason } : {}),
    blocks: [...layoutPage(main, size), ...layoutPage(input.offAxis.map(toLine), size)],
  };
}

/** An engine result as an OCR'd page: `source: 'ocr'`, the reason when there is one, every word marked `ocr`. */
export function ocrPage(page: OcrPage, reason?: string): OcrPage {
  return {
    ...page,
    source: 'ocr',
    ...(reason !== undefined ? { sourceReason: reason } : {}),
    blocks: page.blocks.map((b) => ({ ...b, lines: b.lines.map((l) => ({ ...l, words: l.words.map((w) => ({ ...w, origin: 'ocr' as const })) })) })),
  };
}

/** The slot a sheet line belongs to: the one holding its centre, else the nearest. */
function slotOf(slots: readonly SheetSlot[], quad: Quad): SheetSlot | undefined {
  const b = boundsOf([quad])!;
  const cx = (b.xmin + b.xmax) / 2;
  const cy = (b.ymin + b.ymax) / 2;
  const gap = (v: number, lo: number, hi: number): number => (v < lo ? lo - v : v > hi ? v - hi : 0);
  let best: SheetSlot | undefined;
  let bestDistance = Infinity;
  for (const s of slots) {
    const distance = Math.hypot(gap(cx, s.x, s.x + s.width), gap(cy, s.y, s.y + s.height));
    if (distance < bestDistance) {
      best = s;
      bestDistance = distance;
    }
  }
  return best;
}

/** The lines read from a sheet, each moved back to where its region lies on the page. */
export function sheetLines(page: OcrPage, slots: readonly SheetSlot[]): Line[] {
  const lines: Line[] = [];
  for (const b of page.blocks) {
    for (const l of b.lines) {
      const slot = slotOf(slots, l.quad);
      if (!slot) continue;
      lines.push(...regionLines({ ...page, blocks: [{ ...b, lines: [l] }] }, { x: slot.region.x - slot.x, y: slot.region.y - slot.y }));
    }
  }
  return lines;
}

/** The lines of an OCR'd page or crop, moved by the crop's origin into page pixels, words marked `ocr`. */
export function regionLines(page: OcrPage, origin: { x: number; y: number }): Line[] {
  const move = (q: Quad): Quad => q.map(([x, y]) => [x + origin.x, y + origin.y]) as Quad;
  return page.blocks.flatMap((b) =>
    b.lines.map((l) => ({ ...l, quad: move(l.quad), words: l.words.map((w) => ({ ...w, quad: move(w.quad), origin: 'ocr' as const })) })),
  );
}

/**
 * Share of an OCR word's box that, once covered by text-layer words, makes it a duplicate: an
 * image region that overlaps trusted text (a logo beside a heading) reads that text again.
 */
export const DUPLICATE_COVER = 0.5;

/** OCR lines without the words that text-layer words already cover; lines left empty are dropped. */
export function dropCovered(ocrLines: readonly Line[], textQuads: readonly Quad[]): Line[] {
  const boxes = textQuads.map((q) => boundsOf([q])!);
  const covered = (w: Word): boolean => {
    const b = boundsOf([w.quad])!;
    const area = Math.max(1e-6, (b.xmax - b.xmin) * (b.ymax - b.ymin));
    let inter = 0;
    for (const t of boxes) {
      const dx = Math.min(b.xmax, t.xmax) - Math.max(b.xmin, t.xmin);
      const dy = Math.min(b.ymax, t.ymax) - Math.max(b.ymin, t.ymin);
      if (dx > 0 && dy > 0) inter += dx * dy;
    }
    return inter / area >= DUPLICATE_COVER;
  };
  const out: Line[] = [];
  for (const l of ocrLines) {
    const words = l.words.filter((w) => !covered(w));
    if (words.length === 0) continue;
    out.push(words.length === l.words.length ? l : { ...l, text: words.map((w) => w.text).join(' '), words });
  }
  return out;
}

/**
 * OCRs the image regions of a rendered page and returns their lines in page pixels, without the
 * words that `textQuads` (the trusted text layer) already hold. The regions are read on a sheet
 * of their own (`regionSheet`), told upright: the text layer says how the page is turned, and a
 * few regions' lines are too little to guess it from (lines printed upside down are still turned
 * by the engine's per-line check). Regions too large for a sheet are read in place on the page,
 * everything else masked white, as the engine would read the page.
 */
export async function readRegions(
  engine: { recognize(raster: Raster, opts?: RecognizeOptions): Promise<OcrPage> },
  raster: Raster,
  regions: readonly RegionBox[],
  textQuads: readonly Quad[],
  dpi: number,
): Promise<{ lines: Line[]; timings: Record<string, number> }> {
  if (regions.length === 0) return { lines: [], timings: {} };
  const onSheet = await readRegionSheet(engine, regionsOf(raster, regions), Math.max(raster.width, raster.height), textQuads, dpi);
  if (onSheet) return onSheet;
  const page = await engine.recognize(maskToRegions(raster, regions), { dpi });
  return { lines: dropCovered(regionLines(page, { x: 0, y: 0 }), textQuads), timings: page.timings ?? {} };
}

/**
 * `readRegions` for regions whose pixels come apart (each rendered on its own): their lines in
 * page pixels, or `null` when they do not fit on a sheet as long as the page (`regionSheet`).
 */
export async function readRegionSheet(
  engine: { recognize(raster: Raster, opts?: RecognizeOptions): Promise<OcrPage> },
  pieces: readonly RegionPixels[],
  pageLength: number,
  textQuads: readonly Quad[],
  dpi: number,
): Promise<{ lines: Line[]; timings: Record<string, number> } | null> {
  const packed = regionSheet(pieces, pageLength);
  return packed && readSheet(engine, packed, textQuads, dpi);
}

type RegionReader = { recognize(raster: Raster, opts?: RecognizeOptions): Promise<OcrPage> };
type RegionLines = { lines: Line[]; timings: Record<string, number> };

/**
 * Reads regions already packed on a sheet (`regionSheet`, `packRegions`; a sheet stored by the
 * render stage and decoded again reads the same): one engine call, told upright, its lines moved
 * back to the page and those the text layer already holds dropped.
 */
export async function readSheet(engine: RegionReader, packed: RegionSheet, textQuads: readonly Quad[], dpi: number): Promise<RegionLines> {
  if (packed.slots.length === 0) return { lines: [], timings: {} };
  const page = await engine.recognize(packed.sheet, { dpi, rotation: 0 });
  return { lines: dropCovered(sheetLines(page, packed.slots), textQuads), timings: page.timings ?? {} };
}

/**
 * Where a mixed page's image-region pixels come from: the regions rendered apart and packed on a
 * sheet (`packRegions`), or, when they do not fit on one or were never rendered apart (pages the
 * render stage stored whole before it rendered regions), the whole rendered page.
 */
export type RegionPixelSource = { sheet: RegionSheet } | { page: Raster };

/**
 * The OCR step of a mixed page, one function for every reader (the CLI, the benches and the
 * recognize stage), so all of them give the same page for the same PDF: `regions` (the text
 * layer's image regions, page pixels) read from `source`, their lines in page pixels without
 * the words `textQuads` already hold. `dpi` is the page's.
 */
export function readImageRegions(
  engine: RegionReader,
  source: RegionPixelSource,
  regions: readonly RegionBox[],
  textQuads: readonly Quad[],
  dpi: number,
): Promise<RegionLines> {
  if ('sheet' in source) return readSheet(engine, source.sheet, textQuads, dpi);
  return readRegions(engine, source.page, regions, textQuads, dpi);
}
