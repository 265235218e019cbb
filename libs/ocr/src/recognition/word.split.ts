import { appendFileSync } from 'node:fs';
import type { DecodedChar } from './ctc.decode.ts';

/** A word within a recognized crop: its characters and its span in crop-input columns. */
export interface CropWord {
  text: string;
  confidence: number;
  /** Start and end column in the recognizer input (0..inputWidth). */
  x0: number;
  x1: number;
}

export interface WordSplitSettings {
  /** Recognizer input height in px (48). */
  height: number;
  /** A blank-column run of at least this × height between two characters is a word break. */
  gapRatio: number;
}

/** Longest run of columns without ink in [a, b): its start and length. */
function longestGap(ink: Uint8Array, a: number, b: number): { start: number; length: number } {
  let bestStart = a;
  let best = 0;
  let runStart = -1;
  for (let x = Math.max(0, a); x < Math.min(ink.length, b); x++) {
    if (ink[x] === 0) {
      if (runStart < 0) runStart = x;
      if (x + 1 - runStart > best) {
        best = x + 1 - runStart;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  return { start: bestStart, length: best };
}

/**
 * Splits a decoded line into words: at spaces the model emitted, and between characters whose
 * blank-column gap in the crop is wide relative to the line height (the recognizer drops many
 * spaces, but the gaps stay visible in the pixels). Word spans come from the ink columns.
 */
export function splitWords(
  chars: readonly DecodedChar[],
  ink: Uint8Array,
  stride: number,
  inputWidth: number,
  s: WordSplitSettings,
): CropWord[] {
  const minGap = s.gapRatio * s.height;
  const centre = (c: DecodedChar, edge: 't0' | 't1') => Math.min(inputWidth, (c[edge] + 0.5) * stride);
  const words: CropWord[] = [];
  let cur: DecodedChar[] = [];
  let curStart = 0;
  const firstInk = ink.indexOf(1);
  const lastInk = ink.lastIndexOf(1);
  const flush = (end: number) => {
    if (cur.length === 0) return;
    const text = cur.map((c) => c.text).join('');
    const confidence = cur.reduce((a, c) => a + c.prob, 0) / cur.length;
    words.push({ text, confidence, x0: curStart, x1: Math.max(end, curStart + 1) });
    cur = [];
  };
  const dbg: unknown[] = [];
  let prev: DecodedChar | undefined;
  let pendingSpace: DecodedChar | undefined;
  for (const c of chars) {
    if (c.space) {
      if (prev) pendingSpace = c;
      continue;
    }
    if (!prev) {
      curStart = firstInk >= 0 ? Math.min(firstInk, Math.max(0, c.t0 * stride)) : Math.max(0, c.t0 * stride);
      cur.push(c);
      prev = c;
      continue;
    }
    const a = centre(prev, 't1');
    const b = centre(c, 't0');
    const gap = longestGap(ink, Math.floor(a), Math.ceil(b));
    if (process.env.OCR_DEBUG_GAPS) dbg.push([prev.text, c.text, gap.length, pendingSpace ? 1 : 0, +(b - a).toFixed(1), +c.prob.toFixed(3)]);
    if (pendingSpace || gap.length >= minGap) {
      const cutStart = gap.length > 0 ? gap.start : (a + b) / 2;
      const cutEnd = gap.length > 0 ? gap.start + gap.length : (a + b) / 2;
      flush(cutStart);
      curStart = cutEnd;
    }
    pendingSpace = undefined;
    cur.push(c);
    prev = c;
  }
  if (process.env.OCR_DEBUG_GAPS && chars.length) appendFileSync(process.env.OCR_DEBUG_GAPS, `${JSON.stringify({ first: chars.find((c) => !c.space)?.text ?? '', p0: chars.find((c) => !c.space)?.prob ?? 0, pairs: dbg })}\n`);
  const last = prev ? centre(prev, 't1') : inputWidth;
  flush(lastInk >= 0 ? Math.max(lastInk + 1, Math.min(inputWidth, last)) : inputWidth);
  return words;
}
