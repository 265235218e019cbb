/**
 * Synthetic pages for the layout tests: lines built from words on a fixed character grid, so
 * every expected reading order is known exactly.
 */
import type { Block, Line, Point, Quad, Word } from '../page.ts';
import { rotateQuad } from '../geometry/index.ts';

export interface LineOptions {
  /** Text height, px. @defaultValue 20 */
  h?: number;
  /** Advance per character, px. @defaultValue h / 2 */
  cw?: number;
  /** Rotation of the page about `center`, degrees clockwise. @defaultValue 0 */
  deg?: number;
  center?: Point;
}

const box = (x0: number, y0: number, x1: number, y1: number): Quad => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** A detector line at (x, y) top-left: words one character-advance apart. */
export function line(text: string, x: number, y: number, o: LineOptions = {}): Line {
  const h = o.h ?? 20;
  const cw = o.cw ?? h / 2;
  const rot = (q: Quad): Quad => (o.deg ? rotateQuad(q, (o.deg * Math.PI) / 180, o.center ?? [0, 0]) : q);
  const words: Word[] = [];
  let at = x;
  for (const t of text.split(' ')) {
    words.push({ text: t, confidence: 0.9, quad: rot(box(at, y, at + t.length * cw, y + h)) });
    at += (t.length + 1) * cw;
  }
  return { text, confidence: 0.9, words, quad: rot(box(x, y, x + text.length * cw, y + h)) };
}

/** Wraps `words` greedily into lines of at most `chars` characters starting at (x, y), `pitch` px apart. */
export function paragraph(words: readonly string[], x: number, y: number, chars: number, pitch: number, o: LineOptions = {}): Line[] {
  const texts: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > chars) {
      texts.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) texts.push(cur);
  return texts.map((t, i) => line(t, x, y + i * pitch, o));
}

/** `n` distinct words tagged with `tag` (`a1 a2 …`), lengths varying 2–7 characters. */
export function words(tag: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}${i + 1}${'x'.repeat((i * 7) % 5)}`);
}

/** Deterministic shuffle, so tests never depend on input order. */
export function shuffled<T>(items: readonly T[], seed = 1): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** Line texts in output order. */
export function texts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => b.lines.map((l) => l.text));
}
