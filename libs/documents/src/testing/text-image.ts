import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';
import type { Raster } from '../document.types.ts';

/**
 * Text drawn on a canvas, for tests that need images with known words. The font is the
 * Liberation Sans that pdfjs-dist ships, so output does not depend on the machine's fonts.
 */

const FAMILY = 'FolioTestSans';
let registered = false;

function registerFont(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')), '..', '..');
  GlobalFonts.registerFromPath(join(root, 'standard_fonts', 'LiberationSans-Regular.ttf'), FAMILY);
  registered = true;
}

export interface TextImageOptions {
  /** Glyph size in pixels. @defaultValue 40 */
  fontSize?: number;
  /** Blank border in pixels. @defaultValue 40 */
  padding?: number;
  /** Baseline-to-baseline distance in pixels. @defaultValue 1.6 × fontSize */
  lineHeight?: number;
  /** Canvas width in pixels. @defaultValue widest line + 2 × padding */
  width?: number;
  /** Canvas height in pixels (lines from the top). @defaultValue the lines + 2 × padding */
  height?: number;
}

function drawText(lines: string[], options: TextImageOptions): Canvas {
  registerFont();
  const fontSize = options.fontSize ?? 40;
  const padding = options.padding ?? 40;
  const lineHeight = options.lineHeight ?? Math.round(fontSize * 1.6);
  const font = `${fontSize}px ${FAMILY}`;
  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = font;
  const widest = Math.max(1, ...lines.map((l) => Math.ceil(measure.measureText(l).width)));
  const width = options.width ?? widest + 2 * padding;
  const height = options.height ?? Math.max(1, lines.length) * lineHeight + 2 * padding;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.font = font;
  ctx.textBaseline = 'alphabetic';
  lines.forEach((line, i) => ctx.fillText(line, padding, padding + i * lineHeight + fontSize));
  return canvas;
}

/** PNG bytes of `lines` in black on white, one per row, big and clear (40 px by default). */
export async function makeTextPng(lines: string[], options: TextImageOptions = {}): Promise<Uint8Array> {
  // Encoded synchronously: the async encode runs on libuv's pool while nothing in JS holds the
  // canvas, and a garbage collection in between freed its surface under skia (SIGSEGV in tests).
  return new Uint8Array(drawText(lines, options).encodeSync('png'));
}

/** The same drawing as raw RGBA pixels (alpha 255), for tests that feed rasters directly. */
export function makeTextRaster(lines: string[], options: TextImageOptions & { dpi?: number } = {}): Raster {
  const canvas = drawText(lines, options);
  // data() is a view of the canvas's memory, freed with the canvas: copy it.
  return { data: new Uint8Array(canvas.data()), width: canvas.width, height: canvas.height, channels: 4, dpi: options.dpi ?? 72 };
}
