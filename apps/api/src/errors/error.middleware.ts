import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, isAppError } from './app-error.ts';
import { fromLibraryError } from './domain-errors.ts';

/** Turns an AppError into the body of one dialect's error shape. */
export type ErrorRenderer = (err: AppError) => unknown;

const defaultRenderer: ErrorRenderer = (err) => ({
  error: { code: err.code, reason: err.reason ?? null, message: err.message },
});

/** Each dialect's router calls this first so errors thrown below it speak that dialect. */
export function useErrorRenderer(res: Response, render: ErrorRenderer): void {
  res.locals.renderError = render;
}

/** Maps what body parsers and libraries throw onto AppError, so nothing reaches the client as a 500 by accident. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  // Postgres or S3 unreachable (restarting, failing over) is a 503 with Retry-After, not a bug.
  const library = fromLibraryError(err);
  if (isAppError(library)) return library;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; expose?: boolean };
  const status = e?.status ?? e?.statusCode;
  if (e?.type === 'entity.parse.failed') return new AppError('bad_request', 'The request body is not valid JSON.', { reason: 'invalid_json' });
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large.');
  if (typeof status === 'number' && status >= 400 && status < 500 && e?.expose !== false) {
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return new AppError(code, e?.message ?? 'Bad request.');
  }
  return new AppError('internal', 'Internal server error.', { cause: err });
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    // 503s are expected (sync wait ran out, a dependency is restarting); only other 5xx are bugs.
    if (appError.status === 503) logger.warn({ path: req.path, reason: appError.message }, 'request unavailable');
    else if (appError.status >= 500) logger.error({ err, path: req.path, cause: appError.cause }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (appError.retryAfter !== undefined) res.setHeader('Retry-After', String(appError.retryAfter));
    const render = (res.locals.renderError as ErrorRenderer | undefined) ?? defaultRenderer;
    res.status(appError.status).json(render(appError));
  };
}
