/**
 * The pixel size an embedded image's own codestream declares (JPEG SOF, JPEG 2000 SIZ, JBIG2
 * page and region information), read from its header bytes alone. Decoders size their buffers
 * from these, not from the PDF dictionary's /Width and /Height, so a stream that says 100 × 100
 * in the dictionary and 60000 × 60000 inside must be judged by the inside. Undefined when the
 * header cannot be found (the decoder will then fail on its own).
 */

const u16 = (b: Uint8Array, i: number) => ((b[i] as number) << 8) | (b[i + 1] as number);
const u32 = (b: Uint8Array, i: number) => (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;

/** Width × height from a baseline or progressive JPEG's start-of-frame marker. */
export function jpegPixels(b: Uint8Array): number | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1] as number;
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return u16(b, i + 5) * u16(b, i + 7);
    }
    i += 2 + u16(b, i + 2);
  }
  return undefined;
}

/** Width × height (less the image offset) from a JPEG 2000 codestream's SIZ marker (raw or inside a JP2 box). */
export function jpxPixels(b: Uint8Array): number | undefined {
  // SOC then SIZ; in a JP2 file the codestream follows a few header boxes.
  const end = Math.min(b.length - 24, 1 << 20);
  for (let i = 0; i < end; i++) {
    if (b[i] === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51) {
      const width = u32(b, i + 8) - u32(b, i + 16);
      const height = u32(b, i + 12) - u32(b, i + 20);
      return Math.max(0, width) * Math.max(0, height);
    }
  }
  return undefined;
}

/** JBIG2 segment types whose data starts with a region or page information field (width, height). */
const SIZED_SEGMENTS = new Set([4, 6, 7, 20, 22, 23, 36, 38, 39, 40, 42, 43, 48]);

/**
 * The largest width × height among the page information and region segments of embedded JBIG2
 * data (the PDF form: segment headers without a file header), globals included. A page whose
 * height is left open (striped, 0xffffffff) counts its width only.
 */
export function jbig2Pixels(...chunks: Uint8Array[]): number | undefined {
  let largest: number | undefined;
  for (const b of chunks) {
    let i = 0;
    while (i + 11 <= b.length) {
      const number = u32(b, i);
      const flags = b[i + 4] as number;
      i += 5;
      let referred = (b[i] as number) >> 5;
      if (referred === 7) {
        referred = u32(b, i) & 0x1fffffff;
        i += 4 + Math.ceil((referred + 1) / 8);
      } else {
        i += 1;
      }
      i += referred * (number <= 256 ? 1 : number <= 65536 ? 2 : 4);
      i += flags & 0x40 ? 4 : 1;
      if (i + 4 > b.length) break;
      const length = u32(b, i);
      i += 4;
      const type = flags & 0x3f;
      if (SIZED_SEGMENTS.has(type) && i + 8 <= b.length) {
        const height = u32(b, i + 4);
        const pixels = u32(b, i) * (height === 0xffffffff ? 1 : height);
        largest = Math.max(largest ?? 0, pixels);
      }
      // A generic region of unknown length runs to its end marker: the headers after it cannot be found.
      if (length === 0xffffffff) break;
      i += length;
    }
  }
  return largest;
}
