/**
 * Renders text lines the way a scanner and the detector hand them to the recognizer: several
 * fonts, weights and sizes, grey or tinted paper, slight skew, blur, noise, low resolution and
 * JPEG, cropped with margins like an unclipped detector box.
 */
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import type { Raster } from '../../src/raster.ts';

/** Fonts the head is trained on (Debian fonts-dejavu-core, fonts-liberation2, fonts-noto-core). */
export const TRAIN_FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'Liberation Sans', 'Liberation Serif', 'Liberation Mono', 'Noto Sans', 'Noto Serif'];
/** Fonts only the benchmark uses. */
export const HELD_OUT_FONTS = ['Liberation Sans Narrow', 'Noto Sans Display', 'Noto Serif Display'];

export interface LineStyle {
  font: string;
  size: number;
  bold: boolean;
  italic: boolean;
}

export function randomStyle(r: () => number, fonts: readonly string[]): LineStyle {
  return { font: fonts[Math.floor(r() * fonts.length)]!, size: 16 + Math.floor(r() * 40), bold: r() < 0.25, italic: r() < 0.15 };
}

/** Small print of reports, papers and official journals: mostly serif faces (Times-like Liberation Serif). */
const PRINT_FONTS = ['Liberation Serif', 'Liberation Serif', 'DejaVu Serif', 'Noto Serif', 'Liberation Sans', 'DejaVu Sans', 'Noto Sans'];

/** Small serif and sans print, 12–31 px (8–10 pt text at 150–300 dpi), rarely bold or italic. */
export function printStyle(r: () => number): LineStyle {
  return { font: PRINT_FONTS[Math.floor(r() * PRINT_FONTS.length)]!, size: 12 + Math.floor(r() * 20), bold: r() < 0.12, italic: r() < 0.12 };
}

/** Receipt printers and form typewriters: monospaced or narrow sans, often bold. */
const RECEIPT_FONTS = ['DejaVu Sans Mono', 'Liberation Mono', 'DejaVu Sans Mono', 'Liberation Mono', 'DejaVu Sans', 'Liberation Sans', 'Noto Sans'];

export function receiptStyle(r: () => number): LineStyle {
  return { font: RECEIPT_FONTS[Math.floor(r() * RECEIPT_FONTS.length)]!, size: 18 + Math.floor(r() * 28), bold: r() < 0.4, italic: false };
}

export const cssFont = (s: LineStyle): string => `${s.italic ? 'italic ' : ''}${s.bold ? 'bold ' : ''}${s.size}px "${s.font}"`;

/** Adds grain, then optionally a JPEG round trip (quality 35–85). */
export async function scanNoise(r: () => number, canvas: Canvas): Promise<Raster> {
  const { width: w, height: h } = canvas;
  let source: Canvas = canvas;
  if (r() < 0.25) {
    const jpeg = await canvas.encode('jpeg', 35 + Math.floor(r() * 50));
    const img = await loadImage(jpeg);
    source = createCanvas(w, h);
    source.getContext('2d').drawImage(img, 0, 0);
  }
  const data = source.getContext('2d').getImageData(0, 0, w, h).data;
  const grain = r() < 0.5 ? r() * 28 : 0;
  const out = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    const n = grain ? (r() + r() - 1) * grain : 0;
    for (let c = 0; c < 3; c++) out[j + c] = Math.max(0, Math.min(255, data[i + c]! + n));
  }
  return { data: out, width: w, height: h, channels: 3 };
}

/**
 * Dust and toner specks anywhere on the line, above letters too: on scanned forms the first
 * retrained head read such specks as accents (í for i).
 */
function inkSpecks(r: () => number, ctx: ReturnType<Canvas['getContext']>, w: number, h: number, size: number): void {
  const n = 1 + Math.floor(r() * 10);
  for (let i = 0; i < n; i++) {
    const rx = size * (0.02 + r() * 0.06);
    ctx.beginPath();
    ctx.ellipse(r() * w, r() * h, rx, rx * (0.5 + r()), r() * Math.PI, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Thermal heads that skip dots: thin paper-coloured streaks and specks across the glyphs. */
function dropouts(r: () => number, canvas: Canvas, paper: number, tint: number): void {
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.filter = 'none';
  ctx.fillStyle = `rgb(${paper},${paper - tint / 2},${paper - tint})`;
  const { width: w, height: h } = canvas;
  const streaks = Math.floor(r() * 3);
  for (let i = 0; i < streaks; i++) ctx.fillRect(0, Math.floor(r() * h), w, Math.max(1, Math.round(h * 0.03)));
  const specks = Math.floor(r() * w * h * 0.004);
  for (let i = 0; i < specks; i++) ctx.fillRect(Math.floor(r() * w), Math.floor(r() * h), 1, 1);
}

/** One line as a crop (the whole raster is the box the recognizer reads). */
export async function renderLine(r: () => number, text: string, style: LineStyle, thermal = false): Promise<Raster> {
  const font = cssFont(style);
  const probe = createCanvas(8, 8).getContext('2d');
  probe.font = font;
  const m = probe.measureText(text);
  const s = style.size;
  // Thermal printers and condensed faces: glyphs narrower than the font draws them.
  const squeeze = thermal && r() < 0.5 ? 0.7 + r() * 0.25 : 1;
  const left = s * (0.05 + r() * 0.5);
  const right = s * (0.05 + r() * 0.5);
  const top = s * (0.1 + r() * 0.35);
  const bottom = s * (0.1 + r() * 0.35);
  const ascent = s * 0.95;
  const descent = s * 0.28;
  const w = Math.max(8, Math.ceil(left + m.width * squeeze + right));
  const h = Math.max(8, Math.ceil(top + ascent + descent + bottom));
  // Low resolution: draw small, so the recognizer's resize enlarges it as it does with 150-dpi scans.
  const scale = r() < (thermal ? 0.6 : 0.35) ? 0.35 + r() * 0.45 : 1;
  const cw = Math.max(4, Math.round(w * scale));
  const ch = Math.max(4, Math.round(h * scale));
  const canvas = createCanvas(cw, ch);
  const ctx = canvas.getContext('2d');
  const invert = r() < 0.05;
  const paper = invert ? 20 + r() * 60 : 185 + r() * 70;
  const tint = r() < 0.15 ? r() * 40 : 0;
  // Faded thermal print: grey ink on light paper.
  const ink = invert ? 200 + r() * 55 : thermal && r() < 0.4 ? 70 + r() * 90 : r() * 100;
  ctx.fillStyle = `rgb(${paper},${paper - tint / 2},${paper - tint})`;
  ctx.fillRect(0, 0, cw, ch);
  ctx.scale(scale, scale);
  if (r() < 0.3) {
    ctx.translate(w / 2, h / 2);
    ctx.rotate(((r() - 0.5) * 2.5 * Math.PI) / 180);
    ctx.translate(-w / 2, -h / 2);
  }
  if (r() < 0.25) ctx.filter = `blur(${(0.3 + r() * 0.7) * (s / 32)}px)`;
  ctx.fillStyle = r() < 0.1 ? `rgb(${ink},${ink},${ink + 90})` : `rgb(${ink},${ink},${ink})`;
  ctx.font = font;
  if (squeeze !== 1) {
    ctx.translate(left, 0);
    ctx.scale(squeeze, 1);
    ctx.translate(-left, 0);
  }
  ctx.fillText(text, left, top + ascent);
  if (r() < 0.35) inkSpecks(r, ctx, w, h, s);
  if (thermal && r() < 0.35) dropouts(r, canvas, paper, tint);
  return scanNoise(r, canvas);
}
