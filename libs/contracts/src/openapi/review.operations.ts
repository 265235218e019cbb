import {
  reviewImageQuerySchema,
  reviewListQuerySchema,
  reviewPageParamsSchema,
  reviewPredictionCreateSchema,
  reviewPredictionParamsSchema,
  reviewPredictionPatchSchema,
} from '../review/review.requests.ts';
import { pageImageDescription, pngResponse } from './openapi.images.ts';
import type { OperationSpec, Operations, ResponseSpec } from './openapi.types.ts';

const text: Record<number, string> = {
  400: 'Malformed id, query or body (the message names each failing field), or invalid JSON.',
  401: 'Missing or invalid API key.',
  404: 'Unknown id, or one that belongs to another organization.',
  409: 'The page is not recognized yet (`page_not_done`), or the box was already replaced or removed (`prediction_inactive`).',
  413: 'The request body is larger than 64 KiB.',
  422:
    'The box does not fit: an edge crosses its opposite, or lies outside the page (`invalid_box`); or a `field` box names a ' +
    'category its page`s model does not have (`unknown_category`, the message names it and lists the model`s categories).',
  503: 'The database or storage is unavailable; retry after the Retry-After header.',
};

/** The review API answers errors as Folio's `{ error: { code, reason, message } }`. */
const reviewErrors = (...statuses: number[]): Record<number, ResponseSpec> =>
  Object.fromEntries([401, ...statuses, 503].map((s) => [s, { description: text[s] ?? 'Error.', schemas: ['FolioError' as const] }]));

const PAGE = '/v1/review/pages/{page_id}';

/** One operation per moderation state; all answer the page as `GET` does. */
const stateRoute = (verb: 'approve' | 'reject' | 'reset', summary: string): OperationSpec => ({
  method: 'post',
  path: `${PAGE}/${verb}`,
  tag: 'Review',
  summary,
  description: 'Audited with the API key id; setting the state the page already has changes nothing and records nothing. No body.',
  security: 'bearer',
  params: reviewPageParamsSchema,
  responses: { 200: { description: 'The page after the change.', schemas: ['ReviewPageDetail'] }, ...reviewErrors(400, 404, 409) },
});

/** The back-office review API (`/v1/review`, Bearer). */
export const reviewOperations = {
  reviewListModels: {
    method: 'get',
    path: '/v1/review/models',
    tag: 'Review',
    summary: 'The organization`s models (the queue`s model filter)',
    security: 'bearer',
    responses: { 200: { description: 'Models.', schemas: ['ReviewModelList'] }, ...reviewErrors() },
  },
  reviewListPages: {
    method: 'get',
    path: '/v1/review/pages',
    tag: 'Review',
    summary: 'The review queue: every recognized page of the organization, grouped by document, lowest field score first',
    description:
      'Pages of every dialect (Nanonets, Files + OCR, NIM, docTR uploads) unless `model_id` filters. Documents, and pages within ' +
      'them, are ordered by their lowest `min_field_score`, then (pages without fields) lowest `min_word_score`. ' +
      '`state` defaults to `unmoderated`; `from_day`/`to_day` are an inclusive window of UTC days since 1970-01-01; pass ' +
      '`next_cursor` back as `cursor` for the next slice. Unknown query keys are refused (400).',
    security: 'bearer',
    query: reviewListQuerySchema,
    responses: { 200: { description: 'One slice of the queue.', schemas: ['ReviewPageList'] }, ...reviewErrors(400, 404) },
  },
  reviewGetPage: {
    method: 'get',
    path: PAGE,
    tag: 'Review',
    summary: 'A page with its standing boxes, OCR words, model categories, image URL and audit trail',
    security: 'bearer',
    params: reviewPageParamsSchema,
    responses: { 200: { description: 'The page.', schemas: ['ReviewPageDetail'] }, ...reviewErrors(400, 404) },
  },
  reviewGetPageImage: {
    method: 'get',
    path: `${PAGE}/image`,
    tag: 'Review',
    summary: 'The page image as PNG, with its boxes drawn in on `overlay=1`',
    description: pageImageDescription,
    security: 'bearer',
    params: reviewPageParamsSchema,
    query: reviewImageQuerySchema,
    responses: { 200: pngResponse('The page PNG.'), ...reviewErrors(400, 404) },
  },
  reviewApprovePage: stateRoute('approve', 'Approve a page'),
  reviewRejectPage: stateRoute('reject', 'Reject a page'),
  reviewResetPage: stateRoute('reset', 'Reset a page to unmoderated'),
  reviewRevertPage: {
    method: 'post',
    path: `${PAGE}/revert`,
    tag: 'Review',
    summary: 'Undo every box edit of a page: moderator boxes out, the model`s boxes back',
    description: 'One audited `revert` event; the moderation state is left as it is. Nothing to undo changes nothing and records nothing. No body.',
    security: 'bearer',
    params: reviewPageParamsSchema,
    responses: { 200: { description: 'The page after the change.', schemas: ['ReviewPageDetail'] }, ...reviewErrors(400, 404, 409) },
  },
  reviewAddPrediction: {
    method: 'post',
    path: `${PAGE}/predictions`,
    tag: 'Review',
    summary: 'Add a moderator box at the end of the reading order',
    description: 'Coordinates are integer pixels of the page image; `score` defaults to 1 (a person drew it). Unknown keys are refused (400).',
    security: 'bearer',
    params: reviewPageParamsSchema,
    body: { kind: 'json', schema: reviewPredictionCreateSchema },
    responses: { 201: { description: 'The new box.', schemas: ['ReviewPrediction'] }, ...reviewErrors(400, 404, 409, 413, 422) },
  },
  reviewUpdatePrediction: {
    method: 'patch',
    path: `${PAGE}/predictions/{prediction_id}`,
    tag: 'Review',
    summary: 'Edit a box`s text, label or edges (at least one field)',
    description:
      'A model box is replaced by a moderator box with a new `id` (the answer`s); a moderator box is edited in place. `score` ' +
      'becomes 1 unless the body says otherwise. The merged box is checked against the page (422).',
    security: 'bearer',
    params: reviewPredictionParamsSchema,
    body: { kind: 'json', schema: reviewPredictionPatchSchema },
    responses: { 200: { description: 'The box that now stands.', schemas: ['ReviewPrediction'] }, ...reviewErrors(400, 404, 409, 413, 422) },
  },
  reviewDeletePrediction: {
    method: 'delete',
    path: `${PAGE}/predictions/{prediction_id}`,
    tag: 'Review',
    summary: 'Remove a box from the moderated set',
    description: 'The box is kept, inactive, for the audit trail and Nanonets `predicted_boxes`.',
    security: 'bearer',
    params: reviewPredictionParamsSchema,
    responses: { 200: { description: 'The removed box (`active: false`).', schemas: ['ReviewPrediction'] }, ...reviewErrors(400, 404, 409) },
  },
} satisfies Operations;
