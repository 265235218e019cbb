import {
  NANONETS_FILE_FIELD,
  nanonetsAsyncQuerySchema,
  nanonetsDayWindowQuerySchema,
  nanonetsFileParamsSchema,
  nanonetsLabelFileFieldsSchema,
  nanonetsLabelUrlsBodySchema,
  nanonetsModelParamsSchema,
  nanonetsPageParamsSchema,
  nanonetsUploadFileFieldsSchema,
  nanonetsUploadUrlsBodySchema,
} from '../nanonets/nanonets.requests.ts';
import { nanonetsCreateModelBodySchema, nanonetsUpdateModelBodySchema } from '../nanonets/nanonets.models.ts';
import { reviewImageQuerySchema } from '../review/review.requests.ts';
import { errorResponses } from './openapi.errors.ts';
import { pageImageDescription, pngResponse } from './openapi.images.ts';
import type { BodySpec, Operations, ResponseSpec } from './openapi.types.ts';

/** Where the Nanonets router is mounted; every path below starts with it. */
export const NANONETS_BASE_PATH = '/api/v2';
const NANONETS = NANONETS_BASE_PATH;

const nanonetsErrors = (...extra: number[]) => errorResponses('NanonetsError', [400, 401, 404, 429, 500, ...extra]);
const predictOrAccepted: ResponseSpec = {
  description: 'Predictions (sync), or the request_file_id to poll (async, `?async=true`, or a sync request that outlived its wait).',
  schemas: ['NanonetsPredictionResponse', 'NanonetsAsyncAcceptedResponse'],
};
const accepted: ResponseSpec = { description: 'Accepted; poll the request_file_id.', schemas: ['NanonetsAsyncAcceptedResponse'] };
const labelFileBody: BodySpec = {
  kind: 'multipart',
  fields: nanonetsLabelFileFieldsSchema,
  files: [{ name: NANONETS_FILE_FIELD, many: true, required: true }],
};

/** Nanonets v2 (HTTP Basic, the API key as user name): predict, retrieve, training uploads. */
export const nanonetsOperations = {
  nanonetsLabelFile: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelFile/`,
    tag: 'Nanonets',
    summary: 'Prediction for image file (sync; at most SYNC_MAX_PAGES pages, else 400 naming the async route)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsAsyncQuerySchema,
    body: labelFileBody,
    responses: { 200: predictOrAccepted, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsLabelFileAsync: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelFile/Async/`,
    tag: 'Nanonets',
    summary: 'Async prediction for image file',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: labelFileBody,
    responses: { 200: accepted, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsLabelUrls: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelUrls/`,
    tag: 'Nanonets',
    summary: 'Prediction for image URLs (sync)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsAsyncQuerySchema,
    body: { kind: 'form-or-json', schema: nanonetsLabelUrlsBodySchema },
    responses: { 200: predictOrAccepted, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsLabelUrlsAsync: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelUrls/Async/`,
    tag: 'Nanonets',
    summary: 'Async prediction for image URLs',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'form-or-json', schema: nanonetsLabelUrlsBodySchema },
    responses: { 200: accepted, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsGetFile: {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}`,
    tag: 'Nanonets',
    summary: 'Get prediction file by file id',
    security: 'basic',
    params: nanonetsFileParamsSchema,
    responses: { 200: { description: 'Every page of the file, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors() },
  },
  nanonetsGetPage: {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}`,
    tag: 'Nanonets',
    summary: 'Get prediction file by page id',
    security: 'basic',
    params: nanonetsPageParamsSchema,
    responses: { 200: { description: 'That page, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors() },
  },
  nanonetsGetPageImage: {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}/image`,
    tag: 'Nanonets',
    summary: 'Page image as PNG, with the page`s final (moderated) boxes drawn in on `overlay=1`',
    description: pageImageDescription,
    security: 'basic',
    params: nanonetsPageParamsSchema,
    query: reviewImageQuerySchema,
    responses: {
      200: pngResponse('The page PNG.'),
      400: { description: 'Bad `overlay` value or malformed id.', schemas: ['NanonetsError'] },
      401: { description: 'Missing or invalid API key.', schemas: ['NanonetsError'] },
      404: { description: 'Unknown model, file or page (or another organization`s), or the page is not rendered yet.', schemas: ['NanonetsError'] },
      503: { description: 'Storage or database unavailable; retry after the Retry-After header.', schemas: ['NanonetsError'] },
    },
  },
  nanonetsListFiles: {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/`,
    tag: 'Nanonets',
    summary: 'Get all prediction files in a day window',
    description:
      'Both values are UTC days since 1970-01-01; `start_day_interval` below 10000 is read as a number of days back from `current_batch_day`. The window is inclusive.',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsDayWindowQuerySchema,
    responses: { 200: { description: 'Pages in the window, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors(422) },
  },
  nanonetsUploadTrainingFiles: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/UploadFile/`,
    tag: 'Nanonets',
    summary: 'Upload training images by file, with their annotation JSON in `data`',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'multipart', fields: nanonetsUploadFileFieldsSchema, files: [{ name: NANONETS_FILE_FIELD, many: true, required: true }] },
    responses: { 200: { description: 'Stored images and annotation totals per category.', schemas: ['NanonetsUploadResponse'] }, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsUploadTrainingUrls: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/UploadUrls/`,
    tag: 'Nanonets',
    summary: 'Upload training images by URL',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'json', schema: nanonetsUploadUrlsBodySchema },
    responses: { 200: { description: 'Stored images and annotation totals per category.', schemas: ['NanonetsUploadResponse'] }, ...nanonetsErrors(413, 415, 422) },
  },
  nanonetsCreateModel: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/`,
    tag: 'Nanonets',
    summary: 'Create a model: `categories` to learn from annotated images (none = full-text OCR)',
    security: 'basic',
    body: { kind: 'json', schema: nanonetsCreateModelBodySchema },
    responses: { 200: { description: 'The new model.', schemas: ['NanonetsModel'] }, ...nanonetsErrors() },
  },
  nanonetsListModels: {
    method: 'get',
    path: `${NANONETS}/OCR/Model/`,
    tag: 'Nanonets',
    summary: "The organization's models",
    security: 'basic',
    responses: { 200: { description: 'Every model of the organization.', schemas: ['NanonetsModelList'] }, ...nanonetsErrors() },
  },
  nanonetsGetModel: {
    method: 'get',
    path: `${NANONETS}/OCR/Model/{model_id}`,
    tag: 'Nanonets',
    summary: 'Model details: categories with annotated box counts, training status, serving version accuracy, runs',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    responses: { 200: { description: 'The model.', schemas: ['NanonetsModel'] }, ...nanonetsErrors() },
  },
  nanonetsUpdateModel: {
    method: 'patch',
    path: `${NANONETS}/OCR/Model/{model_id}`,
    tag: 'Nanonets',
    summary: 'Add categories (after the existing ones) or rename them in place; annotations, approved boxes and the serving version carry the new names (Folio extension)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'json', schema: nanonetsUpdateModelBodySchema },
    responses: { 200: { description: 'The model.', schemas: ['NanonetsModel'] }, ...nanonetsErrors() },
  },
  nanonetsTrain: {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/Train/`,
    tag: 'Nanonets',
    summary: 'Train model: queues a training run (or answers the one under way); the model switches to the new version when it succeeds',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    responses: { 200: { description: 'The recorded training run.', schemas: ['NanonetsTrainResponse'] }, ...nanonetsErrors() },
  },
} satisfies Operations;
