import type { Point, Quad, Rotation, UncoveredInkWarning } from '../page.ts';
import type { Raster } from '../raster.ts';
import { fromUpright, mapQuad, quadSize } from '../geometry/index.ts';

/** Longest side of the coarse ink grid, cells (a cell is ~4 px of a 300-dpi A4 page). */
const GRID = 800;
/** A cell is ink when its darkest pixel is below this share of the page background (light grey print counts). */
const INK_LEVEL = 0.75;
/** Most warnings per page (the largest regions first). */
const MAX_WARNINGS = 10;

interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  ink: number;
}

/**
 * Regions that look like a line of text (a row of dark marks, as tall as the page's lines, several
 * times wider than tall) outside every detected box: the detector may have missed a line there.
 * Works on a coarse grid of the darkest pixel per cell, so thin strokes count. `quads` are the
 * detected lines in the pixels of `page` (upright); warnings come back in source pixels.
 */
export function findUncoveredInk(page: Raster, quads: readonly Quad[], rotation: Rotation, W: number, H: number): UncoveredInkWarning[] {
  const cell = Math.max(1, Math.ceil(Math.max(page.width, page.height) / GRID));
  const gw = Math.ceil(page.width / cell);
  const gh = Math.ceil(page.height / cell);
  const dark = darkestPerCell(page, cell, gw, gh);
  const background = percentile(dark, 0.9);
  if (background < 64) return []; // a dark page: no paper to tell ink from
  const ink = new Uint8Array(gw * gh);
  let totalInk = 0;
  for (let i = 0; i < ink.length; i++) if (dark[i]! < background * INK_LEVEL) (ink[i] = 1), totalInk++;
  if (totalInk === 0) return [];

  const heights = quads.map((q) => quadSize(q).height).sort((a, b) => a - b);
  const lineHeight = heights.length > 0 ? heights[Math.floor(heights.length / 2)]! : 0;
  // Covered: every detected box grown by half a line (DB boxes hug the glyphs' cores).
  const covered = new Uint8Array(gw * gh);
  for (const q of quads) {
    const grow = 0.5 * quadSize(q).height;
    const xs = q.map((p) => p[0]);
    const ys = q.map((p) => p[1]);
    const x0 = Math.max(0, Math.floor((Math.min(...xs) - grow) / cell));
    const x1 = Math.min(gw - 1, Math.floor((Math.max(...xs) + grow) / cell));
    const y0 = Math.max(0, Math.floor((Math.min(...ys) - grow) / cell));
    const y1 = Math.min(gh - 1, Math.floor((Math.max(...ys) + grow) / cell));
    for (let y = y0; y <= y1; y++) covered.fill(1, y * gw + x0, y * gw + x1 + 1);
  }
  for (let i = 0; i < ink.length; i++) if (covered[i]) ink[i] = 0;

  const regions = mergeIntoLines(components(ink, gw, gh));
  const minH = Math.max(2, (lineHeight > 0 ? 0.5 * lineHeight : 8) / cell);
  const maxH = Math.max(minH + 1, (lineHeight > 0 ? 3 * lineHeight : 0.05 * Math.max(page.width, page.height)) / cell);
  const back = (p: Point) => fromUpright(p, rotation, W, H);
  return regions
    .filter((r) => {
      const w = r.x1 - r.x0 + 1;
      const h = r.y1 - r.y0 + 1;
      const fill = r.ink / (w * h);
      // Text: a row of marks several times wider than tall, neither a rule (solid) nor a speck.
      return h >= minH && h <= maxH && w >= 3 * h && fill >= 0.08 && fill <= 0.75;
    })
    .sort((a, b) => b.ink - a.ink)
    .slice(0, MAX_WARNINGS)
    .map((r) => {
      const quad: Quad = [
        [r.x0 * cell, r.y0 * cell],
        [Math.min(page.width, (r.x1 + 1) * cell), r.y0 * cell],
        [Math.min(page.width, (r.x1 + 1) * cell), Math.min(page.height, (r.y1 + 1) * cell)],
        [r.x0 * cell, Math.min(page.height, (r.y1 + 1) * cell)],
      ];
      return { kind: 'uncovered-ink' as const, quad: mapQuad(quad, back), inkShare: Math.round((r.ink / totalInk) * 1e4) / 1e4 };
    });
}

/**
 * Darkest luminance (0..255) in each `cell × cell` square of the page. Large cells are sampled
 * every other pixel each way: strokes that fill a cell of several pixels are wider than one pixel.
 */
function darkestPerCell(page: Raster, cell: number, gw: number, gh: number): Uint8Array {
  const out = new Uint8Array(gw * gh).fill(255);
  const { data, width, height, channels: C } = page;
  const step = Math.max(1, Math.floor(cell / 2));
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.floor(x / cell);
  for (let y = 0; y < height; y += step) {
    const row = Math.floor(y / cell) * gw;
    for (let x = 0; x < width; x += step) {
      const i = (y * width + x) * C;
      const v = C === 1 ? data[i]! : (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
      const g = row + column[x]!;
      if (v < out[g]!) out[g] = v;
    }
  }
  return out;
}

function percentile(values: Uint8Array, q: number): number {
  const hist = new Uint32Array(256);
  for (const v of values) hist[v]!++;
  let acc = 0;
  const target = q * values.length;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= target) return v;
  }
  return 255;
}

/** 8-connected components of the ink cells, as boxes with their ink count. */
function components(ink: Uint8Array, gw: number, gh: number): Region[] {
  const seen = new Uint8Array(ink.length);
  const stack: number[] = [];
  const out: Region[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const r: Region = { x0: gw, y0: gh, x1: -1, y1: -1, ink: 0 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % gw;
      const y = (i - x) / gw;
      r.ink++;
      if (x < r.x0) r.x0 = x;
      if (x > r.x1) r.x1 = x;
      if (y < r.y0) r.y0 = y;
      if (y > r.y1) r.y1 = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= gw || ny >= gh) continue;
          const j = ny * gw + nx;
          if (ink[j] && !seen[j]) (seen[j] = 1), stack.push(j);
        }
    }
    out.push(r);
  }
  return out;
}

/** Rows of the grid per bucket when looking for a mark's line (a line spans a few buckets at most). */
const BAND = 8;

/** Marks side by side on one row (letters, words) joined into one region, as a line of text is. */
function mergeIntoLines(regions: Region[]): Region[] {
  const sorted = [...regions].sort((a, b) => a.x0 - b.x0);
  const lines: Region[] = [];
  // Lines by the band of their vertical centre, so each mark looks at its neighbours only.
  const bands = new Map<number, Region[]>();
  const bandOf = (r: Region) => Math.floor((r.y0 + r.y1) / 2 / BAND);
  for (const r of sorted) {
    const h = r.y1 - r.y0 + 1;
    const b = bandOf(r);
    let line: Region | undefined;
    for (let k = b - 2; k <= b + 2 && !line; k++)
      line = bands.get(k)?.find((l) => {
        const overlap = Math.min(l.y1, r.y1) - Math.max(l.y0, r.y0) + 1;
        const lh = l.y1 - l.y0 + 1;
        return overlap >= 0.5 * Math.min(h, lh) && r.x0 - l.x1 <= Math.max(2, 0.8 * Math.max(h, lh)) && Math.max(h, lh) <= 2 * Math.min(h, lh);
      });
    if (line) {
      const before = bandOf(line);
      line.x0 = Math.min(line.x0, r.x0);
      line.x1 = Math.max(line.x1, r.x1);
      line.y0 = Math.min(line.y0, r.y0);
      line.y1 = Math.max(line.y1, r.y1);
      line.ink += r.ink;
      const after = bandOf(line);
      if (after !== before) {
        const list = bands.get(before)!;
        list.splice(list.indexOf(line), 1);
        bands.set(after, [...(bands.get(after) ?? []), line]);
      }
    } else {
      const fresh = { ...r };
      lines.push(fresh);
      bands.set(b, [...(bands.get(b) ?? []), fresh]);
    }
  }
  return lines;
}
