/**
 * Image regions of a page packed on one white sheet for the engine (see `regionSheet`). Pure, and
 * apart from the engine so a render process can pack regions without loading it
 * (`@folio/ocr/region-sheet`): the sheet is what the recognize stage reads.
 */
import type { Raster } from '../raster.ts';

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

/** Regions packed on one sheet: its pixels, and where each region sits on it. */
export interface RegionSheet {
  sheet: Raster;
  slots: SheetSlot[];
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
export function regionSheet(pieces: readonly RegionPixels[], pageLength: number): RegionSheet | null {
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

/**
 * Regions rendered apart (each raster holds exactly its region's pixels, as a document's
 * `renderRegions` gives them) packed on a sheet as long as the page's long side: what both the
 * CLI and the render stage hand to `readImageRegions`. `null` as `regionSheet`.
 */
export function packRegions(rendered: ReadonlyArray<{ region: RegionBox; raster: Raster }>, pageLength: number): RegionSheet | null {
  return regionSheet(
    rendered.map((r) => ({ region: r.region, raster: r.raster, at: { x: 0, y: 0 } })),
    pageLength,
  );
}
