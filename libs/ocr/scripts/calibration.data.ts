/**
 * Synthetic calibration inputs for int8 quantization: text lines and pages rendered from code in
 * several fonts, sizes, contrasts and degradations (no third-party documents).
 */
import { createCanvas } from '@napi-rs/canvas';
import { warpQuadToTensor } from '../src/image/warp.image.ts';
import { resizeToTensor } from '../src/image/resize.image.ts';
import type { Raster } from '../src/raster.ts';

const WORDS = (
  'invoice total amount due date number customer account payment tax subtotal receipt cash change ' +
  'the of and to in for with on by from this that page report federal register notice section form ' +
  'quantity price unit description item order address street city phone email www reference balance ' +
  'Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'
).split(' ');

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words of French, German and Spanish documents: accents and ß must survive int8 too. */
export const ACCENTED_WORDS = (
  'numéro téléphone société reçu à côté été prix unitaire montant total facture échéance payé ' +
  'Straße Größe über Menü Rechnung Betrag zahlbar Gebühr Öffnungszeiten Ärger daß ' +
  'año señor dirección teléfono número pagó línea'
).split(' ');

function phrase(r: () => number, words: readonly string[] = WORDS): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.15) parts.push(`${Math.floor(r() * 10000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}`);
    else if (k < 0.22) parts.push(`${1 + Math.floor(r() * 28)}/${1 + Math.floor(r() * 12)}/20${10 + Math.floor(r() * 15)}`);
    else {
      let w = words[Math.floor(r() * words.length)]!;
      if (r() < 0.2) w = w.toUpperCase();
      else if (r() < 0.3) w = w[0]!.toUpperCase() + w.slice(1);
      if (r() < 0.15) w += ',.:;'[Math.floor(r() * 4)];
      parts.push(w);
    }
  }
  return parts.join(' ');
}

const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];

/** Renders one line of text with margins like an unclipped detector box. */
function renderLine(r: () => number, words?: readonly string[]): Raster & { text: string } {
  const size = 12 + Math.floor(r() * 48);
  const font = `${r() < 0.25 ? 'bold ' : ''}${size}px ${FONTS[Math.floor(r() * FONTS.length)]}`;
  const text = phrase(r, words);
  const probe = createCanvas(10, 10).getContext('2d');
  probe.font = font;
  const w = Math.ceil(probe.measureText(text).width + size * 1.2);
  const h = Math.ceil(size * 1.9);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const invert = r() < 0.08;
  const bg = invert ? 20 + r() * 60 : 190 + r() * 65;
  const fg = invert ? 200 + r() * 55 : r() * 110;
  ctx.fillStyle = `rgb(${bg},${bg},${bg - r() * 20})`;
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = `rgb(${fg},${fg},${fg})`;
  ctx.font = font;
  ctx.fillText(text, size * 0.6, size * 1.3);
  const data = ctx.getImageData(0, 0, w, h).data;
  const noise = r() < 0.5 ? r() * 30 : 0;
  const out = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    const n = noise ? (r() - 0.5) * noise : 0;
    out[j] = Math.max(0, Math.min(255, data[i]! + n));
    out[j + 1] = Math.max(0, Math.min(255, data[i + 1]! + n));
    out[j + 2] = Math.max(0, Math.min(255, data[i + 2]! + n));
  }
  return { data: out, width: w, height: h, channels: 3, text };
}

export interface CalibrationInput {
  data: Float32Array;
  dims: number[];
  /** The rendered text (recognizer inputs only). */
  text?: string;
}

/** `count` recognizer inputs [1, 3, 48, W], warped the way the engine warps crops. */
export function syntheticRecCrops(count: number, seed: number, words?: readonly string[]): CalibrationInput[] {
  const r = rng(seed);
  const out: CalibrationInput[] = [];
  for (let i = 0; i < count; i++) {
    const line = renderLine(r, words);
    const width = Math.max(16, Math.round((48 * line.width) / line.height));
    const data = new Float32Array(3 * 48 * width);
    warpQuadToTensor(line, [[0, 0], [line.width, 0], [line.width, line.height], [0, line.height]], data, 0, width, 48, width, 48 * width);
    out.push({ data, dims: [1, 3, 48, width], text: line.text });
  }
  return out;
}

/** `count` detector inputs: pages of random lines, normalized as the engine does. */
export function syntheticDetPages(count: number, seed: number): CalibrationInput[] {
  const r = rng(seed);
  const out: CalibrationInput[] = [];
  for (let i = 0; i < count; i++) {
    const w = 960;
    const h = 1280;
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#111';
    let y = 40;
    while (y < h - 20) {
      const size = 10 + Math.floor(r() * 30);
      ctx.font = `${size}px ${FONTS[Math.floor(r() * FONTS.length)]}`;
      ctx.fillText(phrase(r), 20 + r() * 300, y);
      y += size * (1.2 + r());
    }
    const data = ctx.getImageData(0, 0, w, h).data;
    const raster: Raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: w, height: h, channels: 4 };
    out.push({ data: resizeToTensor(raster, w, h, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), dims: [1, 3, h, w] });
  }
  return out;
}
