import { z } from 'zod';

/**
 * How to reach the bucket. `endpoint` unset means AWS itself; set it for MinIO or the embedded
 * s3rver (`http://127.0.0.1:PORT`), together with `forcePathStyle: true`.
 */
export const storageConfigSchema = z.object({
  endpoint: z.string().url().optional(),
  region: z.string().min(1),
  bucket: z.string().min(3).max(63),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  forcePathStyle: z.boolean(),
  /**
   * Multipart part size in bytes; each in-flight part is buffered in memory.
   * @defaultValue 5 MiB (the S3 minimum)
   */
  partSizeBytes: z.number().int().min(5 * 1024 * 1024).optional(),
  /**
   * Parts uploaded in parallel per upload; memory per upload ≈ partSizeBytes × (this + 1).
   * @defaultValue 2
   */
  uploadConcurrency: z.number().int().min(1).max(16).optional(),
  /**
   * Attempts per S3 request (SDK retries with backoff on throttling and 5xx).
   * @defaultValue 3
   */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /**
   * TCP connect timeout per request, ms. @defaultValue 5_000
   */
  connectionTimeoutMs: z.number().int().positive().optional(),
  /**
   * Socket idle timeout per request, ms (no byte for this long fails the request). @defaultValue 60_000
   */
  requestTimeoutMs: z.number().int().positive().optional(),
});

/** Input of `createStorage`. */
export type StorageConfig = z.input<typeof storageConfigSchema>;
