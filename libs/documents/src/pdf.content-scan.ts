/**
 * A single pass over a decoded PDF content stream that counts what painting it would cost,
 * without building pdfjs's operator list: operators, the longest path (construction operators
 * between two painting ones), the XObjects it paints (`/Name Do`, with how often), and the pixel
 * size of its inline images. Tolerant: it never throws on malformed content, it only counts.
 */

/** What a content stream would ask of the renderer. */
export interface ContentCost {
  operators: number;
  /** Most path construction operators (`m l c v y h re`) before a painting operator ends the path. */
  longestPath: number;
  /** XObject resource names painted with `Do`, and how many times each. */
  paints: Map<string, number>;
  /** Width × height of the largest inline image (`BI … ID … EI`). */
  largestInlineImage: number;
}

const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
const NUMBER_START = new Uint8Array(256);
for (const c of '+-.0123456789') NUMBER_START[c.charCodeAt(0)] = 1;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  // Operators and names are short; a long run is an unknown operator whose text does not matter.
  const length = end - start;
  if (length === 1) return String.fromCharCode(bytes[start] as number);
  if (length === 2) return String.fromCharCode(bytes[start] as number, bytes[start + 1] as number);
  return length > 32 ? '' : String.fromCharCode(...bytes.subarray(start, end));
}

/** Index just past the `EI` that ends inline image data starting at `from` (or the end). */
function skipInlineImageData(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) {
    if (b[i] === 0x45 && b[i + 1] === 0x49 && WHITESPACE[b[i - 1] ?? 32] && (i + 2 >= b.length || WHITESPACE[b[i + 2] as number] || DELIMITER[b[i + 2] as number])) {
      return i + 2;
    }
  }
  return b.length;
}

export function scanContent(b: Uint8Array): ContentCost {
  const cost: ContentCost = { operators: 0, longestPath: 0, paints: new Map(), largestInlineImage: 0 };
  let path = 0;
  let lastName = '';
  // Inside `BI … ID`: the image dictionary's key and the sizes read so far.
  let inImage = false;
  let width = 0;
  let height = 0;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (WHITESPACE[c]) {
      i++;
    } else if (c === 0x25) {
      while (i < n && b[i] !== 10 && b[i] !== 13) i++;
    } else if (c === 0x28) {
      let depth = 1;
      i++;
      while (i < n && depth > 0) {
        const s = b[i] as number;
        if (s === 0x5c) i++;
        else if (s === 0x28) depth++;
        else if (s === 0x29) depth--;
        i++;
      }
    } else if (c === 0x3c) {
      if (b[i + 1] === 0x3c) i += 2;
      else {
        while (i < n && b[i] !== 0x3e) i++;
        i++;
      }
    } else if (DELIMITER[c]) {
      if (c !== 0x2f) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && !WHITESPACE[b[j] as number] && !DELIMITER[b[j] as number]) j++;
      lastName = latin1(b, i + 1, j);
      i = j;
    } else {
      let j = i + 1;
      while (j < n && !WHITESPACE[b[j] as number] && !DELIMITER[b[j] as number]) j++;
      // Numbers are most of a content stream: judged by their first byte, read only in image dictionaries.
      if (NUMBER_START[c]) {
        if (inImage && (lastName === 'W' || lastName === 'Width' || lastName === 'H' || lastName === 'Height')) {
          const value = Number(latin1(b, i, j)) || 0;
          if (lastName.startsWith('W')) width = value;
          else height = value;
        }
        i = j;
        continue;
      }
      const token = latin1(b, i, j);
      i = j;
      if (token === 'true' || token === 'false' || token === 'null') continue;
      if (inImage) {
        if (token !== 'ID') continue;
        inImage = false;
        cost.largestInlineImage = Math.max(cost.largestInlineImage, width * height);
        i = skipInlineImageData(b, i + 1);
        continue;
      }
      cost.operators++;
      if (PATH_CONSTRUCTION.has(token)) {
        path++;
        if (path > cost.longestPath) cost.longestPath = path;
      } else if (PATH_PAINTING.has(token)) {
        path = 0;
      } else if (token === 'Do') {
        cost.paints.set(lastName, (cost.paints.get(lastName) ?? 0) + 1);
      } else if (token === 'BI') {
        inImage = true;
        width = 0;
        height = 0;
        lastName = '';
      }
    }
  }
  return cost;
}
