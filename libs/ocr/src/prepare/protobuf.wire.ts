/**
 * Minimal protobuf wire-format codec: a message is a list of fields kept in order, so messages we
 * do not interpret round-trip byte for byte. Varints are bigint (ONNX int64s may be negative).
 */
export type WireField =
  | { no: number; wire: 0; value: bigint }
  | { no: number; wire: 1 | 5; value: Uint8Array }
  | { no: number; wire: 2; value: Uint8Array };

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('protobuf: truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos];
    shift += 7n;
  }
}

export function decodeMessage(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p] = readVarint(buf, pos);
    pos = p;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, q] = readVarint(buf, pos);
      pos = q;
      fields.push({ no, wire, value: v });
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      fields.push({ no, wire, value: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === 2) {
      const [len, q] = readVarint(buf, pos);
      pos = q + Number(len);
      fields.push({ no, wire, value: buf.subarray(q, pos) });
    } else {
      throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return fields;
}

function varintBytes(v: bigint): number[] {
  // Negative int64s are encoded as their 64-bit two's complement (10 bytes).
  let x = v < 0n ? (1n << 64n) + v : v;
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}

/** Bytes of a non-negative varint below 2^53 (lengths and keys: no bigint needed). */
function smallVarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeSmallVarint(out: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

/** Encodes fields in order into one buffer, sized first (keys and lengths without bigint). */
export function encodeMessage(fields: readonly WireField[]): Uint8Array {
  let size = 0;
  const ints: Array<number[] | undefined> = [];
  fields.forEach((f, k) => {
    size += smallVarintSize((f.no << 3) | f.wire);
    if (f.wire === 0) {
      const b = varintBytes(f.value);
      ints[k] = b;
      size += b.length;
    } else if (f.wire === 2) size += smallVarintSize(f.value.length) + f.value.length;
    else size += f.value.length;
  });
  const out = new Uint8Array(size);
  let pos = 0;
  fields.forEach((f, k) => {
    pos = writeSmallVarint(out, pos, (f.no << 3) | f.wire);
    if (f.wire === 0) {
      out.set(ints[k]!, pos);
      pos += ints[k]!.length;
    } else {
      if (f.wire === 2) pos = writeSmallVarint(out, pos, f.value.length);
      out.set(f.value, pos);
      pos += f.value.length;
    }
  });
  return out;
}

export const text = (u: Uint8Array): string => new TextDecoder().decode(u);
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Field helpers. */
export const str = (no: number, s: string): WireField => ({ no, wire: 2, value: bytes(s) });
export const msg = (no: number, fields: readonly WireField[]): WireField => ({ no, wire: 2, value: encodeMessage(fields) });
export const int = (no: number, v: number | bigint): WireField => ({ no, wire: 0, value: BigInt(v) });
export function float32(no: number, v: number): WireField {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return { no, wire: 5, value: b };
}
