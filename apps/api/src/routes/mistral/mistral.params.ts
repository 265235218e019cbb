import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { describeZodError, issuesFromZod, mistralFileParamsSchema, type IssueLocation, type ValidationIssue } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../../api.deps.ts';
import { AppError, isAppError, type ErrorCode } from '../../errors/app-error.ts';
import { findFile } from '../../services/mistral-files.service.ts';
import { OcrInputError } from '../../services/mistral-ocr.service.ts';

/**
 * An AppError carrying FastAPI-style validation items: `mistralErrorBody` answers 422 with them as
 * `detail` (what the SDK parses as `HTTPValidationError`), and names the first one as `param` otherwise.
 */
export function requestError(code: ErrorCode, message: string, issues: ValidationIssue[], reason?: string): AppError {
  return new AppError(code, message, reason === undefined ? { issues } : { reason, issues });
}

const hasIssues = (err: AppError): boolean => Array.isArray(err.issues);

/** A 422 for one field, e.g. `invalid(['body', 'pages'], 'pages must ...')`. */
export function invalid(loc: Array<string | number>, message: string, type = 'value_error'): AppError {
  return requestError('unprocessable', message, [{ loc, msg: message, type }], 'validation_error');
}

/** Parses params, query or body with a zod schema; a mismatch is a 422 listing every failing field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, location: IssueLocation): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw requestError('unprocessable', describeZodError(parsed.error), issuesFromZod(parsed.error, location), 'validation_error');
  }
  return parsed.data;
}

/** The `file_id` of a route's path, or 422. */
export function fileIdOf(params: unknown): string {
  return parseWith(mistralFileParamsSchema, params, 'path').file_id;
}

/** The caller's file (not deleted), or 404: another tenant's id is as unknown as a missing one. */
export async function requireFile(deps: ApiDeps, params: unknown, orgId: string): Promise<FileRow> {
  return findFile(deps, orgId, fileIdOf(params));
}

/**
 * The seed answers 400 for invalid input (unsupported format, unreadable document, bad URL) and
 * keeps 422 for request validation. Shared services say 415 for a wrong type and 422 for a corrupt
 * or encrypted document; in this dialect those become 400, keeping their reason as `code`.
 * Service-level input errors (`OcrInputError`) become this dialect's errors naming their field.
 */
export const mistralStatusMapper: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof OcrInputError) {
    next(requestError(err.status, err.message, [err.issue], err.issue.type));
    return;
  }
  if (isAppError(err) && !hasIssues(err) && (err.status === 415 || err.status === 422)) {
    const remapped = new AppError('bad_request', err.message, { cause: err, ...(err.reason ? { reason: err.reason } : {}) });
    next(remapped);
    return;
  }
  next(err);
};
