import { Transform } from 'node:stream';

/** Bytes `sniffDocumentType` needs to recognise every supported type. */
export const SNIFF_BYTES = 16;

/**
 * A pass-through stream that keeps the first bytes it sees, so a document streamed elsewhere
 * (to S3) can be sniffed afterwards without reading it back.
 */
export function captureHead(size = SNIFF_BYTES): Transform & { head: () => Buffer } {
  const chunks: Buffer[] = [];
  let have = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (have < size) {
        chunks.push(chunk.subarray(0, size - have));
        have += Math.min(chunk.length, size - have);
      }
      cb(null, chunk);
    },
  });
  return Object.assign(t, { head: () => Buffer.concat(chunks) });
}
