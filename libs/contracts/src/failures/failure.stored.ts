import { failureSchema, type Failure } from './failure.catalogue.ts';
import { failureMessage, pageFailureMessage } from './failure.messages.ts';

/** A File row's failure columns: the typed reason, and the text columns rows had before it. */
export interface StoredFileFailure {
  failure?: unknown;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A Page row's failure columns. */
export interface StoredPageFailure {
  failure?: unknown;
  error: string | null;
}

/** The stored JSON as a {@link Failure}, or null when absent or not one (an older shape). */
function parsed(json: unknown): Failure | null {
  if (json === null || json === undefined) return null;
  const result = failureSchema.safeParse(json);
  return result.success ? result.data : null;
}

/**
 * Why a file failed, read from its row. Rows written before the catalogue carry only text:
 * they read as `legacy` with their old code, so nothing needs migrating.
 */
export function fileFailureOf(row: StoredFileFailure): Failure | null {
  const typed = parsed(row.failure);
  if (typed) return typed;
  if (row.errorCode === null && row.errorMessage === null) return null;
  return { code: 'legacy', storedCode: row.errorCode, message: row.errorMessage ?? '' };
}

/** Why a page failed, read from its row (text-only rows as `legacy`). */
export function pageFailureOf(row: StoredPageFailure): Failure | null {
  const typed = parsed(row.failure);
  if (typed) return typed;
  return row.error === null ? null : { code: 'legacy', storedCode: null, message: row.error };
}

/** A file's failure as the English sentence progress objects and dialects show, or null. */
export function fileFailureText(row: StoredFileFailure): string | null {
  const failure = fileFailureOf(row);
  return failure ? failureMessage(failure) : null;
}

/** A page's failure as one English line (`render failed: …`), or null. */
export function pageFailureText(row: StoredPageFailure): string | null {
  const failure = pageFailureOf(row);
  return failure ? pageFailureMessage(failure) : null;
}
