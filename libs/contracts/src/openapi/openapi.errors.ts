import type { ResponseComponent } from './openapi.components.ts';
import type { ResponseSpec } from './openapi.types.ts';

const text: Record<number, string> = {
  400: 'Bad input: unsupported, lying or empty content, corrupt or encrypted PDF, too many pages or pixels, bad URL.',
  401: 'Missing or invalid API key.',
  404: 'Unknown id, or one that belongs to another organization.',
  413: 'The upload is larger than the limit.',
  415: 'Unsupported media type.',
  422: 'Request validation failed.',
  429: 'Too many queued pages; retry after the Retry-After header.',
  500: 'Processing failed.',
  503: 'Not ready (models loading) or a dependency is down.',
};

/** Error answers of a dialect route: each status described once, all with the dialect's error body. */
export function errorResponses(schema: ResponseComponent, statuses: number[], extra: Record<number, ResponseSpec> = {}): Record<number, ResponseSpec> {
  return Object.fromEntries([
    ...statuses.map((s) => [s, { description: text[s] ?? 'Error.', schemas: [schema] }]),
    ...Object.entries(extra),
  ]);
}
