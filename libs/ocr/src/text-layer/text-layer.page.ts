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

/** An axis-aligned region of the page in pixels (x, y of the top-left corner). */
export interface RegionBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The page with everything outside `regions` painted white (what `regionSheet` replaced: the
 * detector then ran over the whole page; kept for callers that want the regions in place).
 */
export function maskToRegions(raster: Raster, regions: readonly RegionBox[]): Raster {
  const c = raster.channels;
  const data = new Uint8Array(raster.data.length).fill(255);
  for (const box of regions) {
    const { x0, y0, x1, y1 } = clampBox(raster, box);
    for (let y = y0; y < y1; y++) {
      const from = (y * raster.width + x0) * c;
      data.set(raster.data.subarray(from, from + Math.max(0, x1 - x0) * c), from);
    }
  }
  return { ...raster, data };
}

function clampBox(raster: Raster, box: RegionBox): { x0: number; y0: number; x1: number; y1: number } {
  const x0 = Math.min(raster.width, Math.max(0, Math.floor(box.x)));
  const y0 = Math.min(raster.height, Math.max(0, Math.floor(box.y)));
  const x1 = Math.max(x0, Math.min(raster.width, Math.ceil(box.x + box.width)));
  const y1 = Math.max(y0, Math.min(raster.height, Math.ceil(box.y + box.height)));
  return { x0, y0, x1, y1 };
}

/**
 * White pixels between and around regions on a sheet: wide enough that the detector never joins
 * lines of two regions (at 300 dpi, 40 px is ~3 mm, over a line height of 10-pt text).
 */
export const SHEET_GAP = 40;
/** Where one region sits on a sheet. */
export interface SheetSlot {
  region: RegionBox;
  /** Top-left corner of the region's pixels on the sheet. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A region's pixels: the region (page pixels, whole) and the raster holding them, its top-left
 * corner at `at` (the region's own place on a full page raster, or 0,0 on a raster of the region).
 */
export interface RegionPixels {
  region: RegionBox;
  raster: Raster;
  at: { x: number; y: number };
}

/** The regions of a full page raster, clamped to it and rounded outwards to whole pixels. */
export function regionsOf(raster: Raster, regions: readonly RegionBox[]): RegionPixels[] {
  return regions.flatMap((r) => {
    const { x0, y0, x1, y1 } = clampBox(raster, r);
    return x1 > x0 && y1 > y0 ? [{ region: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, raster, at: { x: x0, y: y0 } }] : [];
  });
}

/**
 * The regions of a page at the page's resolution, packed in rows on one white sheet as long as
 * the page's long side (`pageLength`), so the engine detects and reads only their pixels in one
 * call (detection costs by the pixel: a logo's sheet is a tenth of the page). The detector scales
 * an input by its long side, so a sheet as long as the page is seen at exactly the page's scale:
 * a region cut to its own size would be enlarged to the detector's minimum side, and large print
 * read at twice the scale the detector was tuned for goes unseen. `null` when the regions do not
 * fit on such a sheet (a region near the size of the page): read the masked page then.
 */
export function regionSheet(pieces: readonly RegionPixels[], pageLength: number): { sheet: Raster; slots: SheetSlot[] } | null {
  const c = pieces[0]?.raster.channels ?? 1;
  const length = Math.round(pageLength);
  const slots: SheetSlot[] = [];
  let x = SHEET_GAP;
  let y = SHEET_GAP;
  let rowHeight = 0;
  for (const { region } of pieces) {
    const w = region.width;
    const h = region.height;
    if (w + 2 * SHEET_GAP > length) return null;
    if (x + w + SHEET_GAP > length) {
      x = SHEET_GAP;
      y += rowHeight + SHEET_GAP;
      rowHeight = 0;
    }
    slots.push({ region, x, y, width: w, height: h });
    x += w + SHEET_GAP;
    rowHeight = Math.max(rowHeight, h);
  }
  const height = y + rowHeight + SHEET_GAP;
  if (slots.length > 0 && height > length) return null;
  const width = length;
  const data = new Uint8Array(slots.length > 0 ? width * height * c : 0).fill(255);
  slots.forEach((s, k) => {
    const { raster, at } = pieces[k]!;
    if (raster.channels !== c) throw new RangeError('Region rasters of one sheet must share their channels.');
    const rowBytes = s.width * c;
    for (let row = 0; row < s.height; row++) {
      const from = ((at.y + row) * raster.width + at.x) * c;
      data.set(raster.data.subarray(from, from + rowBytes), ((s.y + row) * width + s.x) * c);
    }
  });
  const dpi = pieces[0]?.raster.dpi;
  return { sheet: { data, width, height, channels: c, ...(dpi !== undefined ? { dpi } : {}) }, slots };
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
  if (!packed) return null;
  if (packed.slots.length === 0) return { lines: [], timings: {} };
  const page = await engine.recognize(packed.sheet, { dpi, rotation: 0 });
  return { lines: dropCovered(sheetLines(page, packed.slots), textQuads), timings: page.timings ?? {} };
}
