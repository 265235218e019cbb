import type { Operations } from './openapi.types.ts';

/** The document itself (no key). */
export const metaOperations = {
  openApiDocument: {
    method: 'get',
    path: '/openapi.json',
    tag: 'Meta',
    summary: 'This document',
    security: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document.' } },
  },
} satisfies Operations;
