import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/**
 * A well-formed PNG whose header claims width × height, with a tiny (wrong) image body: a
 * decompression bomb by declaration (100000×100000 would be 30 GB decoded) in ~100 bytes.
 */
export function forgedPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
      pngChunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** The first `keep` bytes of `bytes`, then garbage to the original length: a valid header over nonsense. */
export function garbageAfter(bytes: Uint8Array, keep: number): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(bytes.subarray(0, keep)), Buffer.alloc(Math.max(0, bytes.length - keep), 'x')]));
}
