import { readFileSync } from 'node:fs';

/**
 * The recognizer's output classes: index 0 is the CTC blank, then the dictionary lines, then a
 * space (PP-OCR's `use_space_char`).
 */
export interface Charset {
  /** Display text of each class ('' for the blank), full-width forms already mapped to ASCII. */
  symbols: string[];
  /** Class indexes decoding may choose, blank included; ascending. */
  allowed: Int32Array;
  /** Index of the space class, or -1. */
  space: number;
  /** The Latin head's second output and when to believe it (latin.gate.ts); undefined: none. */
  gate?: LatinGate | undefined;
}

/**
 * The Latin head beside the original classifier (prepare/latin.head.ts `addClassifierHead`; built by latin.gate.ts): which
 * of the head's classes may overrule the original's reading, and how sure the head must be.
 */
export interface LatinGate {
  /** Head class display text (index 0 the blank). */
  symbols: string[];
  /**
   * Per head class: 0 never taken; 1 an accented Latin letter, taken where the original read its
   * ASCII base (`base`) or another letter on that base; 2 typographic punctuation or a currency sign, taken where the original
   * read a blank or ASCII punctuation; 3 the minus sign, taken only where the original read ASCII punctuation.
   */
  kind: Uint8Array;
  /** Per head class of kind 1: the ASCII letter(s) the original may read for it, lower case. */
  base: string[][];
  /** Head probability from which it is believed (calibrated on generated training lines). */
  threshold: number;
  /** Per head class: the probability it needs, `threshold` or more (accents over dotted letters). */
  minP: Float32Array;
  /**
   * Per head class: the original's readings of that symbol it may replace whatever its kind (€ read
   * as C or f, ² as 2, ß as β); [] for most.
   */
  lookalike: string[][];
}

/** Han, kana, Hangul, Yi and CJK compatibility blocks: masked when decoding Latin-script pages. */
export function isCjk(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (
    (c >= 0x2e80 && c <= 0x2fff) ||
    (c >= 0x3040 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    c >= 0x20000
  );
}

const CJK_PUNCTUATION: Record<string, string> = {
  '\u3000': ' ',
  '、': ',',
  '。': '.',
  '〈': '<',
  '〉': '>',
  '《': '<<',
  '》': '>>',
  '「': '"',
  '」': '"',
  '『': '"',
  '』': '"',
  '【': '[',
  '】': ']',
  '〔': '(',
  '〕': ')',
  '﹑': ',',
  '﹗': '!',
  '﹝': '(',
  '﹞': ')',
  '﹢': '+',
  '∶': ':',
  '‧': '·',
  '￥': '¥',
  '￡': '£',
  '￠': '¢',
};

/** Full-width ASCII (U+FF01–FF5E) and CJK punctuation to their ASCII look-alikes. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0);
    else out += CJK_PUNCTUATION[ch] ?? ch;
  }
  return out;
}

/** Reads a PP-OCR dictionary file and builds the class table for a model with `classCount` outputs. */
export function loadCharset(dictPath: string, latinOnly: boolean): Charset {
  const lines = readFileSync(dictPath, 'utf8').replace(/\r/g, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const symbols = ['', ...lines.map(toHalfWidth), ' '];
  const allowed: number[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const raw = i === 0 || i === symbols.length - 1 ? '' : lines[i - 1]!;
    if (!latinOnly || !isCjkString(raw)) allowed.push(i);
  }
  return { symbols, allowed: Int32Array.from(allowed), space: symbols.length - 1 };
}

function isCjkString(s: string): boolean {
  for (const ch of s) if (isCjk(ch)) return true;
  return false;
}

/** The charset of a recognizer whose outputs were cut to `charset.allowed` (classes.prune.ts). */
export function narrowCharset(charset: Charset): Charset {
  const symbols = Array.from(charset.allowed, (i) => charset.symbols[i]!);
  return { symbols, allowed: Int32Array.from(symbols, (_, i) => i), space: Array.from(charset.allowed).indexOf(charset.space) };
}

/** The charset of a recognizer whose classifier was replaced by a trained head (prepare/latin.head.ts). */
export function charsetOfClasses(classes: readonly string[]): Charset {
  return { symbols: classes.slice(), allowed: Int32Array.from(classes, (_, i) => i), space: classes.indexOf(' ') };
}
