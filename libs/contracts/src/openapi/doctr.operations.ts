import { DOCTR_FILES_FIELD, doctrQuerySchema } from '../doctr/doctr.requests.ts';
import { errorResponses } from './openapi.errors.ts';
import type { Operations } from './openapi.types.ts';

/** docTR-style `POST /ocr` (Bearer). */
export const doctrOperations = {
  doctrOcr: {
    method: 'post',
    path: '/ocr',
    tag: 'docTR',
    summary: 'Perform OCR: pages → blocks → lines → words with relative geometry',
    security: 'bearer',
    query: doctrQuerySchema,
    body: { kind: 'multipart', files: [{ name: DOCTR_FILES_FIELD, many: true, required: true }] },
    responses: {
      200: { description: 'One entry per page.', schemas: ['DoctrResponse'] },
      ...errorResponses('DoctrError', [400, 401, 413, 415, 422, 429, 500, 503]),
    },
  },
} satisfies Operations;

