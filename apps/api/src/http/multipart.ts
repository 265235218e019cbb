import type { Request } from 'express';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { AppError, errors } from '../errors/app-error.ts';

export interface FilePart {
  field: string;
  filename: string;
  /** As the client declared it; the real type is sniffed from the bytes later. */
  declaredMime: string;
  stream: Readable;
}

export interface MultipartLimits {
  /** @defaultValue 20 */
  maxFiles?: number;
  /** Bytes per file; a longer file fails with 413. */
  maxFileBytes: number;
  /** @defaultValue 64 KiB per text field */
  maxFieldBytes?: number;
}

/**
 * Streams a multipart body: each file part goes to `onFile` while it arrives (never buffered whole),
 * text fields are collected. `onFile` must consume its stream. When anything fails, the results of
 * the files already handled are returned through `onAbort` so the caller can undo them.
 */
export async function parseMultipart<T>(
  req: Request,
  limits: MultipartLimits,
  onFile: (part: FilePart) => Promise<T>,
  onAbort: (done: T[]) => Promise<void>,
): Promise<{ fields: Record<string, string[]>; files: T[] }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw errors.unsupportedMedia('Expected a multipart/form-data body.', 'not_multipart');
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        files: limits.maxFiles ?? 20,
        fileSize: limits.maxFileBytes,
        fieldSize: limits.maxFieldBytes ?? 64 * 1024,
        fields: 100,
        parts: 200,
      },
      defParamCharset: 'utf8',
    });
  } catch (cause) {
    throw new AppError('bad_request', 'Malformed multipart/form-data header (no boundary?).', { cause, reason: 'malformed_multipart' });
  }

  const fields: Record<string, string[]> = {};
  const pending: Promise<T>[] = [];
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
  };

  const finished = new Promise<void>((resolve) => {
    parser.on('file', (field, stream, info) => {
      if (failure) {
        stream.resume();
        return;
      }
      stream.on('limit', () => {
        const err = errors.tooLarge(`File "${info.filename}" exceeds the ${limits.maxFileBytes} byte limit.`, 'file_too_large');
        fail(err);
        stream.destroy(err);
      });
      const filename = sanitizeFilename(info.filename);
      const task = onFile({ field, filename, declaredMime: info.mimeType, stream });
      task.catch((err: unknown) => {
        fail(err);
        stream.resume();
      });
      pending.push(task);
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(errors.tooLarge(`Field "${name}" is too long.`, 'field_too_long'));
      (fields[name] ??= []).push(value);
    });
    parser.on('filesLimit', () => fail(errors.badRequest(`At most ${limits.maxFiles ?? 20} files per request.`, 'too_many_files')));
    parser.on('partsLimit', () => fail(errors.badRequest('Too many parts in the multipart body.', 'too_many_parts')));
    parser.on('fieldsLimit', () => fail(errors.badRequest('Too many fields in the multipart body.', 'too_many_fields')));
    parser.on('error', (cause: unknown) => {
      fail(new AppError('bad_request', 'Malformed multipart/form-data body.', { cause, reason: 'malformed_multipart' }));
      resolve();
    });
    parser.on('close', () => resolve());
    req.on('aborted', () => {
      fail(errors.badRequest('The client closed the connection during the upload.', 'aborted'));
      resolve();
    });
  });
  req.pipe(parser);
  await finished;

  const settled = await Promise.allSettled(pending);
  const files = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failure || files.length !== settled.length) {
    await onAbort(files);
    const firstRejection = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    throw failure ?? firstRejection?.reason;
  }
  return { fields, files };
}

/**
 * The body of `req` as a source the services read part by part ({@link parseMultipart} once
 * they call it), so a service never sees the Express request.
 */
export function multipartSource(req: Request, limits: MultipartLimits) {
  return <T>(onFile: (part: FilePart) => Promise<T>, onAbort: (done: T[]) => Promise<void>) => parseMultipart(req, limits, onFile, onAbort);
}

/** Keeps the base name only, without control characters or path parts; never empty. */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}
