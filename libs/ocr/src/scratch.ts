/**
 * Per-engine reusable buffers: page-sized arrays (detector input, component labels) are kept
 * between pages instead of reallocated, which saves allocation, zeroing and GC of tens of MB a
 * page. Returned views are NOT zeroed; callers initialise what they read.
 */
export class Scratch {
  private readonly f32 = new Map<string, Float32Array>();
  private readonly i32 = new Map<string, Int32Array>();
  private readonly u8 = new Map<string, Uint8Array>();

  float32(key: string, length: number): Float32Array {
    return view(this.f32, key, length, (n) => new Float32Array(n));
  }

  int32(key: string, length: number): Int32Array {
    return view(this.i32, key, length, (n) => new Int32Array(n));
  }

  uint8(key: string, length: number): Uint8Array {
    return view(this.u8, key, length, (n) => new Uint8Array(n));
  }
}

function view<T extends Float32Array | Int32Array | Uint8Array>(map: Map<string, T>, key: string, length: number, make: (n: number) => T): T {
  let buf = map.get(key);
  if (!buf || buf.length < length) {
    buf = make(length);
    map.set(key, buf);
  }
  return buf.subarray(0, length) as T;
}
