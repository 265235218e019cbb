/**
 * Synthetic test pages: known text drawn with @napi-rs/canvas, returned as a raw raster with the
 * drawn boxes of every line and word, optionally turned by 90/180/270 degrees.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Point, Raster, Rotation } from '../src/index.ts';

export interface TextItem {
  text: string;
  /** Left edge and baseline, px. */
  x: number;
  y: number;
  /** Font size, px. @defaultValue 32 */
  size?: number;
  font?: string;
  /** CSS colour of the text. @defaultValue '#000' */
  color?: string;
}

export interface DrawnWord {
  text: string;
  /** Axis-aligned box on the upright page: x0, y0, x1, y1. */
  box: [number, number, number, number];
}

export interface SyntheticPage {
  raster: Raster;
  /** Lines in the order given, with their words' boxes in the (possibly rotated) raster's pixels. */
  lines: { text: string; words: DrawnWord[] }[];
}

/** Draws `items` black on white on a `width × height` page, then turns it `rotation` degrees clockwise. */
export function drawPage(width: number, height: number, items: readonly TextItem[], rotation: Rotation = 0): SyntheticPage {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  const lines: SyntheticPage['lines'] = [];
  for (const it of items) {
    const size = it.size ?? 32;
    ctx.font = `${size}px ${it.font ?? 'DejaVu Sans'}`;
    ctx.fillStyle = it.color ?? '#000';
    ctx.fillText(it.text, it.x, it.y);
    const words: DrawnWord[] = [];
    let cursor = 0;
    for (const w of it.text.split(' ')) {
      if (w) {
        const before = ctx.measureText(it.text.slice(0, cursor)).width;
        const m = ctx.measureText(w);
        words.push({ text: w, box: [it.x + before, it.y - m.actualBoundingBoxAscent, it.x + before + m.width, it.y + m.actualBoundingBoxDescent] });
      }
      cursor += w.length + 1;
    }
    lines.push({ text: it.text, words });
  }
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const upright: Raster = { data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length), width, height, channels: 4 };
  const raster = rotateRaster(upright, rotation);
  const turn = (p: Point) => rotatePoint(p, rotation, width, height);
  for (const l of lines)
    for (const w of l.words) {
      const a = turn([w.box[0], w.box[1]]);
      const b = turn([w.box[2], w.box[3]]);
      w.box = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    }
  return { raster, lines };
}

/** Where an upright-page point lands after turning the page `rotation` degrees clockwise. */
export function rotatePoint(p: Point, rotation: Rotation, width: number, height: number): Point {
  switch (rotation) {
    case 0:
      return [p[0], p[1]];
    case 90:
      return [height - p[1], p[0]];
    case 180:
      return [width - p[0], height - p[1]];
    case 270:
      return [p[1], width - p[0]];
  }
}

/** Turns a raster `rotation` degrees clockwise. */
export function rotateRaster(src: Raster, rotation: Rotation): Raster {
  if (rotation === 0) return src;
  const { width: w, height: h, channels: c } = src;
  const [ow, oh] = rotation === 180 ? [w, h] : [h, w];
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [nx, ny] = rotatePoint([x + 0.5, y + 0.5], rotation, w, h);
      const o = (Math.floor(ny) * ow + Math.floor(nx)) * c;
      const i = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = src.data[i + k]!;
    }
  return { data: out, width: ow, height: oh, channels: c };
}

/** Character error rate (Levenshtein / reference length) after collapsing whitespace. */
export function cer(ref: string, hyp: string): number {
  const a = ref.replace(/\s+/g, ' ').trim();
  const b = hyp.replace(/\s+/g, ' ').trim();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return a.length === 0 ? (b.length === 0 ? 0 : 1) : prev[b.length]! / a.length;
}
