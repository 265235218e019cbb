import type { ValidationIssue } from '@folio/contracts';

/** Codes a client can act on; each maps to one HTTP status. */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The one error type routes and services throw; the error middleware renders it per dialect. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Machine-readable reason within the code, e.g. `encrypted` for a PDF. */
  readonly reason: string | undefined;
  /** Seconds, for 429 and 503. */
  readonly retryAfter: number | undefined;
  /** Field-level problems; FastAPI-style dialects (Files + OCR, docTR) answer them as `detail`. */
  readonly issues: ValidationIssue[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; reason?: string; retryAfter?: number; issues?: ValidationIssue[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.reason = options.reason;
    this.retryAfter = options.retryAfter;
    this.issues = options.issues;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const errors = {
  badRequest: (message: string, reason?: string) => new AppError('bad_request', message, { reason }),
  unauthorized: (message = 'Missing or invalid API key.') => new AppError('unauthorized', message),
  notFound: (what: string, id: string) => new AppError('not_found', `${what} ${id} not found.`),
  unprocessable: (message: string, reason?: string) => new AppError('unprocessable', message, { reason }),
  unsupportedMedia: (message: string, reason?: string) => new AppError('unsupported_media_type', message, { reason }),
  tooLarge: (message: string, reason?: string) => new AppError('payload_too_large', message, { reason }),
  tooManyRequests: (message: string, retryAfter: number) => new AppError('too_many_requests', message, { retryAfter }),
  unavailable: (message: string, retryAfter = 5, cause?: unknown) => new AppError('unavailable', message, { retryAfter, cause }),
  /** A 422 listing each failing field (`issuesFromZod`). */
  validation: (message: string, issues: ValidationIssue[], reason = 'invalid_request') =>
    new AppError('unprocessable', message, { reason, issues }),
};
