import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from 's3rver';

type Middleware = S3rver['middleware'][number];

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * AbortMultipartUpload (`DELETE /bucket/key?uploadId=…`) for s3rver, which answers it 405.
 * Without it aborted uploads leave their parts on disk, and lib-storage's abort error replaces
 * the error that caused the abort. Removes s3rver's upload directory for that id.
 */
export function abortMultipartMiddleware(directory: string): Middleware {
  return async (ctx, next) => {
    const uploadId = ctx.query['uploadId'];
    if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
    const bucket = ctx.path.split('/')[1] ?? '';
    if (!UPLOAD_ID.test(uploadId) || !BUCKET.test(bucket)) return next();
    // s3rver keeps in-progress uploads under <dir>/<bucket>/._S3rver_uploads/<uploadId>/.
    const uploadDir = join(directory, bucket, '._S3rver_uploads', uploadId);
    const exists = await stat(uploadDir).then(
      () => true,
      () => false,
    );
    if (!exists) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        '<Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    await rm(uploadDir, { recursive: true, force: true });
    ctx.status = 204;
  };
}
