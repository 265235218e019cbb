import type { Config } from '@folio/config';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.ts';

/**
 * The largest body an upload route can accept: the document itself (`MAX_UPLOAD_BYTES`) as
 * base64 in JSON (4/3 of it), plus 1 MiB for multipart framing, form fields or JSON around it.
 */
export function uploadBodyCeiling(config: Pick<Config, 'MAX_UPLOAD_BYTES'>): number {
  return Math.ceil((config.MAX_UPLOAD_BYTES * 4) / 3) + 1024 * 1024;
}

/**
 * Refuses a request whose declared `Content-Length` is over `maxBytes` with 413 before a byte
 * of its body is read (and before the key lookup): the connection is closed rather than drained,
 * so a client announcing gigabytes costs one header parse. Bodies without a length (chunked)
 * are still bounded by each route's parser or upload limit while they stream.
 */
export function contentLengthLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared) || declared <= maxBytes) return next();
    res.setHeader('Connection', 'close');
    next(new AppError('payload_too_large', `The request body is ${declared} bytes; this route accepts at most ${maxBytes}.`, { reason: 'too_large' }));
  };
}
