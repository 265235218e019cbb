import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HashingTransform } from './hash.transform.ts';
import { storageConfigSchema, type StorageConfig } from './storage.config.ts';
import { StorageError, toStorageError } from './storage.errors.ts';
import { contentDisposition } from './content-disposition.header.ts';
import { storageUrlInspector, type StorageUrlVerdict } from './storage.url.ts';

/** Result of a streamed upload. */
export interface PutResult {
  /** Bytes stored. */
  bytes: number;
  /** Lowercase hex SHA-256 of the stored bytes. */
  sha256: string;
}

/** What `head` knows about an object. */
export interface ObjectInfo {
  bytes: number;
  contentType: string | undefined;
}

/** Object storage as the rest of Folio sees it. Every method throws only `StorageError`. */
export interface Storage {
  /** The bucket all keys live in. */
  readonly bucket: string;
  /** Creates the bucket when missing (idempotent). */
  ensureBucket(): Promise<void>;
  /**
   * Streams `body` to `key` without buffering it whole: a single PUT when it fits in one part,
   * a multipart upload otherwise. SHA-256 and length are computed on the way through.
   * On any error (and on `too_large` when `maxBytes` is passed) the multipart upload is aborted
   * and whatever was written under `key` is deleted. `body` is not destroyed on `too_large`:
   * the caller decides whether to drain it (e.g. to answer 413) or destroy it.
   */
  putStream(key: string, body: Readable, opts: { contentType: string; maxBytes?: number }): Promise<PutResult>;
  /** Stores a small in-memory object with one PUT. */
  putBuffer(key: string, buf: Uint8Array, contentType: string): Promise<PutResult>;
  /** Streams an object's bytes; `not_found` when missing. */
  getStream(key: string): Promise<Readable>;
  /** Reads a whole object into memory; `not_found` when missing. */
  getBuffer(key: string): Promise<Buffer>;
  /** Size and content type, or `null` when missing. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Deletes one object; deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /**
   * Deletes every object whose key starts with `prefix` (1000 per request); returns how many.
   * Refuses an empty prefix, which would empty the bucket.
   */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * The "folders" directly under `prefix` (which should end in `/`): keys up to and including
   * the next `/`, each once, e.g. `orgs/a/` and `orgs/b/` under `orgs/`. For sweeps that look for
   * objects whose owner row is gone.
   */
  listPrefixes(prefix: string): Promise<string[]>;
  /**
   * A time-limited GET URL. With `filename` the response carries
   * `Content-Disposition: attachment` with that name (RFC 6266, UTF-8 safe).
   */
  presignGet(key: string, opts: { expiresInSeconds: number; filename?: string }): Promise<string>;
  /** A time-limited PUT URL; the uploader must send the same `Content-Type`. */
  presignPut(key: string, opts: { expiresInSeconds: number; contentType: string }): Promise<string>;
  /**
   * Whether `url` is one of this storage's presigned GET URLs (signature recomputed with the
   * configured credentials, not expired) and for which key; see {@link StorageUrlVerdict}.
   * Pure: no request is made. `now` defaults to the current time.
   */
  inspectUrl(url: string, now?: Date): StorageUrlVerdict;
  /**
   * True when fetching `url` by connecting to `address` would reach this storage (see
   * `inspectUrl`; also the endpoint's port on a local address when the endpoint is loopback).
   */
  reachesStorage(url: URL, address: string): boolean;
  /** True when the bucket answers within `timeoutMs` (default 2_000 ms). For readiness probes; never throws. */
  ping(opts?: { timeoutMs?: number }): Promise<boolean>;
  /** Releases sockets. */
  close(): void;
}

/** Builds the S3 client and the `Storage` facade. Validates `cfg` (throws on bad config). */
export function createStorage(cfg: StorageConfig): Storage {
  const c = storageConfigSchema.parse(cfg);
  const bucket = c.bucket;
  const client = new S3Client({
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    region: c.region,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    forcePathStyle: c.forcePathStyle,
    // Streams of unknown length cannot carry the default CRC32 trailer on s3rver/MinIO;
    // only checksum where the API demands it (DeleteObjects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: c.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: c.connectionTimeoutMs ?? 5_000,
      requestTimeout: c.requestTimeoutMs ?? 60_000,
    },
  });
  const partSize = c.partSizeBytes ?? 5 * 1024 * 1024;
  const queueSize = c.uploadConcurrency ?? 2;

  async function deleteQuietly(key: string): Promise<void> {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
  }

  const urls = storageUrlInspector(c);

  return {
    bucket,
    inspectUrl: urls.inspect,
    reachesStorage: urls.reaches,

    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch (err) {
        const e = toStorageError(err, `head bucket ${bucket}`);
        if (e.code === 'unavailable') throw e;
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      } catch (err) {
        const name = (err as { name?: unknown }).name;
        // Another process created it between our HEAD and CREATE.
        if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
        throw toStorageError(err, `create bucket ${bucket}`);
      }
    },

    async putStream(key, body, opts) {
      const hasher = new HashingTransform(opts.maxBytes);
      // The source's own failure (client hung up) must reach the upload; pipe() does not forward it.
      const onSourceError = (err: Error) => hasher.destroy(err);
      body.once('error', onSourceError);
      // lib-storage reports a failed abort instead of the error that caused it; keep the cause.
      let streamError: Error | undefined;
      hasher.on('error', (err) => (streamError ??= err));
      body.pipe(hasher);
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: hasher, ContentType: opts.contentType },
        partSize,
        queueSize,
      });
      try {
        await upload.done();
        return { bytes: hasher.bytes, sha256: hasher.sha256 };
      } catch (err) {
        body.unpipe(hasher);
        hasher.destroy();
        // lib-storage already sent AbortMultipartUpload for a multipart upload.
        // A single-part PUT may still have landed, or an older object may sit under the key:
        // keys name new rows, so nothing worth keeping is lost by deleting.
        await deleteQuietly(key);
        if (hasher.exceeded) {
          throw new StorageError('too_large', `put ${key}: upload exceeds the limit of ${opts.maxBytes} bytes`, { cause: err });
        }
        throw toStorageError(streamError ?? err, `put ${key}`);
      } finally {
        body.off('error', onSourceError);
      }
    },

    async putBuffer(key, buf, contentType) {
      const sha256 = createHash('sha256').update(buf).digest('hex');
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: buf, ContentType: contentType, ContentLength: buf.byteLength }),
        );
      } catch (err) {
        throw toStorageError(err, `put ${key}`);
      }
      return { bytes: buf.byteLength, sha256 };
    },

    async getStream(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!(res.Body instanceof Readable)) throw new StorageError('failed', `get ${key}: response has no body stream`);
        return res.Body;
      } catch (err) {
        throw toStorageError(err, `get ${key}`);
      }
    },

    async getBuffer(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (res.Body === undefined) throw new StorageError('failed', `get ${key}: response has no body`);
        return Buffer.from(await res.Body.transformToByteArray());
      } catch (err) {
        throw toStorageError(err, `get ${key}`);
      }
    },

    async head(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { bytes: res.ContentLength ?? 0, contentType: res.ContentType };
      } catch (err) {
        const e = toStorageError(err, `head ${key}`);
        if (e.code === 'not_found') return null;
        throw e;
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (err) {
        const e = toStorageError(err, `delete ${key}`);
        if (e.code !== 'not_found') throw e;
      }
    },

    async deletePrefix(prefix) {
      if (prefix.length === 0) throw new StorageError('failed', 'deletePrefix refuses an empty prefix');
      let deleted = 0;
      try {
        // Deleting while listing shifts pages under a continuation token; relisting from the
        // start until nothing is left is simpler and correct.
        for (;;) {
          // v1 listing: s3rver answers 500 to a truncated v2 listing (over 1000 keys).
          const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000 }));
          const keys = (page.Contents ?? []).flatMap((o) => (o.Key !== undefined ? [{ Key: o.Key }] : []));
          if (keys.length === 0) return deleted;
          const res = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
          const failed = res.Errors ?? [];
          if (failed.length > 0) {
            const first = failed[0];
            throw new StorageError('failed', `deletePrefix ${prefix}: ${failed.length} object(s) not deleted (${first?.Key}: ${first?.Code})`);
          }
          deleted += keys.length;
        }
      } catch (err) {
        throw toStorageError(err, `deletePrefix ${prefix}`);
      }
    },

    async listPrefixes(prefix) {
      // A skip-scan rather than a Delimiter listing: one request per folder found, each starting
      // just past the previous folder. Same cost on AWS and MinIO, and correct on s3rver, whose
      // Delimiter listing misses folders that hold only sub-folders.
      const out: string[] = [];
      let after: string | undefined;
      try {
        for (;;) {
          // ListObjects (v1) with Marker: s3rver fails v2 listings that are truncated.
          const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1, ...(after ? { Marker: after } : {}) }));
          const key = page.Contents?.[0]?.Key;
          if (key === undefined) return out;
          const rest = key.slice(prefix.length);
          const slash = rest.indexOf('/');
          if (slash < 0) {
            after = key;
            continue;
          }
          out.push(prefix + rest.slice(0, slash + 1));
          // '0' sorts right after '/': the next key past every key of this folder.
          after = `${prefix}${rest.slice(0, slash)}0`;
        }
      } catch (err) {
        throw toStorageError(err, `list ${prefix}`);
      }
    },

    async presignGet(key, opts) {
      const cmd = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(opts.filename !== undefined ? { ResponseContentDisposition: contentDisposition(opts.filename) } : {}),
      });
      try {
        return await getSignedUrl(client, cmd, { expiresIn: opts.expiresInSeconds });
      } catch (err) {
        throw toStorageError(err, `presign ${key}`);
      }
    },

    async presignPut(key, opts) {
      const cmd = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: opts.contentType });
      try {
        return await getSignedUrl(client, cmd, { expiresIn: opts.expiresInSeconds });
      } catch (err) {
        throw toStorageError(err, `presign put ${key}`);
      }
    },

    async ping(opts) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), {
          abortSignal: AbortSignal.timeout(opts?.timeoutMs ?? 2_000),
        });
        return true;
      } catch {
        return false;
      }
    },

    close() {
      client.destroy();
    },
  };
}
