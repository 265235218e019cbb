import type { z } from 'zod';

/** One field-level problem, in FastAPI's shape (`loc` is the path, starting with `body`/`query`/`path`). */
export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

/**
 * What every dialect's error renderer needs. The API's `AppError` satisfies it as is;
 * `issues` is optional and only used by the FastAPI-style dialects (Mistral 422, docTR 422).
 */
export interface ContractError {
  /** HTTP status, 4xx or 5xx. */
  status: number;
  /** Machine code, e.g. `not_found`, `bad_request`. */
  code: string;
  /** Sentence written for the caller. */
  message: string;
  /** Finer machine reason, e.g. `encrypted`. */
  reason?: string | undefined;
  issues?: ValidationIssue[] | undefined;
}

/** Where the failing value came from; the first element of FastAPI's `loc`. */
export type IssueLocation = 'body' | 'query' | 'path' | 'header';

/** zod issues as FastAPI validation items, e.g. `{ loc: ['body', 'document', 'type'], msg, type }`. */
export function issuesFromZod(error: z.ZodError, location: IssueLocation): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    const loc = [location, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // One item per unknown field, located at the field itself (as FastAPI's extra="forbid" answers).
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ loc: [...loc, key], msg: `Unrecognized key: "${key}"`, type: issue.code }));
    return [{ loc, msg: issue.message, type: issue.code }];
  });
}

/** One line naming each failing field, e.g. `pages: Expected an integer; document.type: Invalid input`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
