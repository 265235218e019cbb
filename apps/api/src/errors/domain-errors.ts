import { effectiveCode, failureMessage, type Failure } from '@folio/contracts';
import { isDocumentError, type DocumentErrorCode } from '@folio/documents';
import { isStorageError } from '@folio/storage';
import { outageOf } from '@folio/services';
import { AppError } from './app-error.ts';

const documentStatus: Record<DocumentErrorCode, ConstructorParameters<typeof AppError>[0]> = {
  empty: 'bad_request',
  unsupported_type: 'unsupported_media_type',
  type_mismatch: 'unsupported_media_type',
  corrupt: 'unprocessable',
  encrypted: 'unprocessable',
  too_many_pages: 'payload_too_large',
  too_many_pixels: 'payload_too_large',
  too_large: 'payload_too_large',
};

/** A document refused for `code` (a catalogue code, or an older row's stored code) as the client's error. */
export function documentFailure(code: string, message: string): AppError {
  if (code === 'storage_url_refused') return new AppError('bad_request', message, { reason: code });
  if (code === 'sync_page_limit') return new AppError('bad_request', message, { reason: code });
  if (code === 'url_too_large') return new AppError('payload_too_large', message, { reason: code });
  if (code.startsWith('url_')) return new AppError('unprocessable', message, { reason: code });
  const appCode = documentStatus[code as DocumentErrorCode] ?? 'unprocessable';
  return new AppError(appCode, message, { reason: code });
}

/**
 * A stored refusal as the client's error: the status and reason from its code, the sentence
 * the dialect wrote from its facts (plain English by default).
 */
export function refusalError(failure: Failure, message = failureMessage(failure)): AppError {
  return documentFailure(effectiveCode(failure), message);
}

const OUTAGE_SUBJECT = { database: 'The database', storage: 'Storage', queue: 'The job queue' } as const;

/** Library errors (documents, storage, database) as AppError; anything else is left for the 500 path. */
export function fromLibraryError(err: unknown): unknown {
  if (isDocumentError(err)) return documentFailure(err.code, err.message);
  if (isStorageError(err, 'too_large')) return new AppError('payload_too_large', err.message, { reason: 'too_large', cause: err });
  // Anything in the outage catalogue, wherever it was thrown (auth's key lookup included), is a
  // 503 with Retry-After: the client did nothing wrong and may simply try again.
  const outage = outageOf(err);
  if (outage !== undefined) return new AppError('unavailable', `${OUTAGE_SUBJECT[outage]} is unavailable; try again shortly.`, { retryAfter: 5, cause: err });
  return err;
}
