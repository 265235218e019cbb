import { z } from 'zod';
import type { ContractError } from '../common/errors.ts';
import type { DataUrlResult } from '../common/data-url.ts';

/** Every NIM error body (seed): `{ "error": "<sentence>" }`. */
export const nimErrorSchema = z.looseObject({ error: z.string() });
export type NimError = z.infer<typeof nimErrorSchema>;

/** The seed's message for a URL that is not a base64 image data URL. */
export const NIM_INVALID_URL_MESSAGE =
  "One or more images in the request contain an invalid image URL. Ensure that all URLs are data URLs with an image media type and base64-encoded image data. The pattern for this is 'data:<image-media-type>;base64,<base64-image-data>'.";

/** Queue-full message for 429. */
export const NIM_QUEUE_FULL_MESSAGE = 'The request queue is full. Reduce the request rate and retry later.';
/** Not-ready message for 503. */
export const NIM_NOT_READY_MESSAGE = 'The service is not ready: models are still loading. Check /v1/health/ready and retry.';

/** `{ error }` for any ContractError (422, 429, 500, 503, and 401/404 from the platform). */
export function nimErrorBody(err: Pick<ContractError, 'message'>): NimError {
  return { error: err.message };
}

/**
 * The 422 message for image `index` (zero-based) whose data URL failed `parseDataUrl`: the seed's
 * invalid-URL sentence for a malformed URL or media type, a base64 sentence for bad data.
 */
export function nimDataUrlErrorMessage(result: Extract<DataUrlResult, { ok: false }>, index: number): string {
  const where = `input[${index}]`;
  switch (result.reason) {
    case 'not_data_url':
    case 'not_base64':
      return `${NIM_INVALID_URL_MESSAGE} (${where}: ${result.message})`;
    case 'unsupported_media_type':
    case 'content_mismatch':
      return `${where}: ${result.message} The supported image formats are png and jpeg.`;
    case 'invalid_base64':
    case 'empty':
      return `${where}: the base64-encoded image data is invalid (${result.message}) Verify the encoding and that the image is not corrupted.`;
    case 'too_large':
      return `${where}: ${result.message}`;
  }
}
