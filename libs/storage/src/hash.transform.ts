import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StorageError } from './storage.errors.ts';

/**
 * Pass-through stream that counts bytes and computes SHA-256 of everything that flows through,
 * and fails with `StorageError('too_large')` the moment the count would pass `maxBytes`
 * (the offending chunk is not forwarded, so no more than `maxBytes` ever reaches S3).
 */
export class HashingTransform extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly maxBytes: number | undefined;
  private count = 0;
  private digestHex: string | undefined;
  /** Set once the limit was passed; survives whatever error the consumer reports instead. */
  exceeded = false;

  /** @param maxBytes optional limit in bytes; unset means unlimited. */
  constructor(maxBytes?: number) {
    super();
    this.maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const next = this.count + chunk.length;
    if (this.maxBytes !== undefined && next > this.maxBytes) {
      this.exceeded = true;
      cb(new StorageError('too_large', `upload exceeds the limit of ${this.maxBytes} bytes`));
      return;
    }
    this.count = next;
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.digestHex = this.hash.digest('hex');
    cb();
  }

  /** Bytes forwarded so far. */
  get bytes(): number {
    return this.count;
  }

  /** Lowercase hex SHA-256 of the whole body; only available after the stream ended. */
  get sha256(): string {
    if (this.digestHex === undefined) throw new Error('sha256 read before the stream ended');
    return this.digestHex;
  }
}
