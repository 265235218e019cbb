import type { ContractError, ValidationIssue } from '../common/errors.ts';
import { failureMessage, type Failure } from '../failures/index.ts';
import type { MistralError } from './mistral.schemas.ts';

/** 422 body: FastAPI validation items, which the Mistral SDK parses into `HTTPValidationError`. */
export interface MistralValidationErrorBody {
  detail: ValidationIssue[];
}

const typeByStatus = (status: number): string =>
  status === 401
    ? 'authentication_error'
    : status === 404
      ? 'not_found_error'
      : status === 429
        ? 'rate_limit_error'
        : status === 503
          ? 'service_unavailable_error'
          : status >= 500
            ? 'internal_server_error'
            : 'invalid_request_error';

/**
 * The error body of the Files + OCR dialect. 422 answers FastAPI's `{ detail: [{ loc, msg, type }] }`
 * (what the SDK expects for 422; without issues, one item carrying the message); every other
 * status answers Mistral's `{ object: 'error', message, type, param, code }`.
 */
export function mistralErrorBody(err: ContractError): MistralError | MistralValidationErrorBody {
  if (err.status === 422) {
    return {
      detail:
        err.issues && err.issues.length > 0 ? err.issues : [{ loc: ['body'], msg: err.message, type: err.reason ?? err.code }],
    };
  }
  return {
    object: 'error',
    message: err.message,
    type: typeByStatus(err.status),
    param: err.issues?.[0]?.loc.slice(1).join('.') || null,
    code: err.reason ?? err.code,
  };
}

/**
 * A refused document's sentence in this dialect: over the sync page limit, `POST /v1/ocr` points
 * at uploading the file and OCR-ing it by id; everything else reads as the catalogue's English.
 */
export function mistralRefusalMessage(failure: Failure): string {
  if (failure.code === 'sync_page_limit') {
    return (
      `The document has ${failure.pageCount} pages; sync requests take at most ${failure.maxPages}. ` +
      'Upload it with POST /v1/files, then call POST /v1/files/{file_id}/ocr.'
    );
  }
  return failureMessage(failure);
}
