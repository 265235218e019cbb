import { z } from 'zod';
import { doctrErrorSchema } from '../doctr/doctr.errors.ts';
import { DOCTR_FILES_FIELD, doctrQuerySchema } from '../doctr/doctr.requests.ts';
import { doctrResponseSchema } from '../doctr/doctr.responses.ts';
import {
  MISTRAL_FILE_FIELD,
  mistralFileOcrRequestSchema,
  mistralFileParamsSchema,
  mistralListFilesQuerySchema,
  mistralOcrRequestSchema,
  mistralSignedUrlQuerySchema,
  mistralUploadFieldsSchema,
} from '../mistral/mistral.requests.ts';
import {
  mistralDeleteFileSchema,
  mistralErrorSchema,
  mistralFileListSchema,
  mistralFileSchema,
  mistralOcrResponseSchema,
  mistralSignedUrlSchema,
  mistralValidationErrorSchema,
} from '../mistral/mistral.schemas.ts';
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
import {
  nanonetsAsyncAcceptedSchema,
  nanonetsErrorSchema,
  nanonetsModeratedFileResponseSchema,
  nanonetsPredictionResponseSchema,
  nanonetsTrainResponseSchema,
  nanonetsUploadResponseSchema,
} from '../nanonets/nanonets.schemas.ts';
import { nimErrorSchema } from '../nim/nim.errors.ts';
import { nimInferRequestSchema } from '../nim/nim.requests.ts';
import { nimHealthLiveSchema, nimHealthReadySchema, nimInferResponseSchema } from '../nim/nim.responses.ts';
import { notifyComponents, notifyRoutes } from './openapi.notify.ts';
import { nanonetsPageImageRoute, reviewComponents, reviewRoutes } from './openapi.review.ts';

/** Response schemas by component name; the OpenAPI document holds them under `components.schemas`. */
export const responseComponents = {
  NanonetsPredictionResponse: nanonetsPredictionResponseSchema,
  NanonetsAsyncAcceptedResponse: nanonetsAsyncAcceptedSchema,
  NanonetsModeratedFileResponse: nanonetsModeratedFileResponseSchema,
  NanonetsUploadResponse: nanonetsUploadResponseSchema,
  NanonetsTrainResponse: nanonetsTrainResponseSchema,
  NanonetsError: nanonetsErrorSchema,
  MistralFile: mistralFileSchema,
  MistralFileList: mistralFileListSchema,
  MistralDeleteFile: mistralDeleteFileSchema,
  MistralSignedUrl: mistralSignedUrlSchema,
  MistralOcrResponse: mistralOcrResponseSchema,
  MistralError: mistralErrorSchema,
  MistralValidationError: mistralValidationErrorSchema,
  NimInferResponse: nimInferResponseSchema,
  NimHealthLive: nimHealthLiveSchema,
  NimHealthReady: nimHealthReadySchema,
  NimError: nimErrorSchema,
  DoctrResponse: doctrResponseSchema,
  DoctrError: doctrErrorSchema,
  ...notifyComponents,
  ...reviewComponents,
} satisfies Record<string, z.ZodType>;
export type ResponseComponent = keyof typeof responseComponents;

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';
export type Security = 'basic' | 'bearer' | 'none';

/** A request body: a zod schema (JSON) or a hand-written multipart/urlencoded description. */
export type BodySpec =
  | { kind: 'json'; schema: z.ZodType }
  | { kind: 'multipart'; fields?: z.ZodObject; files: { name: string; many: boolean; required: boolean }[] }
  | { kind: 'form-or-json'; schema: z.ZodObject };

export interface ResponseSpec {
  description: string;
  /** Component names; several mean `oneOf`. */
  schemas?: ResponseComponent[];
  /** Media type. @defaultValue `application/json` */
  contentType?: string;
}

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI path template, exactly as the seeds spell it (trailing slashes included). */
  path: string;
  operationId: string;
  tag: 'Nanonets' | 'Files + OCR' | 'NIM' | 'docTR' | 'Webhooks' | 'Review' | 'Meta';
  summary: string;
  description?: string;
  security: Security;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: BodySpec;
  responses: Record<number, ResponseSpec>;
}

const err = (schema: ResponseComponent, statuses: number[], extra: Record<number, ResponseSpec> = {}): Record<number, ResponseSpec> => {
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
  return Object.fromEntries([
    ...statuses.map((s) => [s, { description: text[s] ?? 'Error.', schemas: [schema] }]),
    ...Object.entries(extra),
  ]);
};

const nanonetsErrors = (...extra: number[]) => err('NanonetsError', [400, 401, 404, 429, 500, ...extra]);
const mistralErrors = (...extra: number[]) => ({
  ...err('MistralError', [400, 401, 404, 500, 503, ...extra]),
  422: { description: 'Request validation error (FastAPI detail list).', schemas: ['MistralValidationError' as const] },
});

const NANONETS = '/api/v2';
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

/** Every route Folio serves in the four dialects, plus health, progress, webhooks, review and this document. */
export const routes: RouteSpec[] = [
  // ---- Nanonets v2 -------------------------------------------------------------------------
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelFile/`,
    operationId: 'nanonetsLabelFile',
    tag: 'Nanonets',
    summary: 'Prediction for image file (sync; at most SYNC_MAX_PAGES pages, else 400 naming the async route)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsAsyncQuerySchema,
    body: labelFileBody,
    responses: { 200: predictOrAccepted, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelFile/Async/`,
    operationId: 'nanonetsLabelFileAsync',
    tag: 'Nanonets',
    summary: 'Async prediction for image file',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: labelFileBody,
    responses: { 200: accepted, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelUrls/`,
    operationId: 'nanonetsLabelUrls',
    tag: 'Nanonets',
    summary: 'Prediction for image URLs (sync)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsAsyncQuerySchema,
    body: { kind: 'form-or-json', schema: nanonetsLabelUrlsBodySchema },
    responses: { 200: predictOrAccepted, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/LabelUrls/Async/`,
    operationId: 'nanonetsLabelUrlsAsync',
    tag: 'Nanonets',
    summary: 'Async prediction for image URLs',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'form-or-json', schema: nanonetsLabelUrlsBodySchema },
    responses: { 200: accepted, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}`,
    operationId: 'nanonetsGetFile',
    tag: 'Nanonets',
    summary: 'Get prediction file by file id',
    security: 'basic',
    params: nanonetsFileParamsSchema,
    responses: { 200: { description: 'Every page of the file, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors() },
  },
  {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}`,
    operationId: 'nanonetsGetPage',
    tag: 'Nanonets',
    summary: 'Get prediction file by page id',
    security: 'basic',
    params: nanonetsPageParamsSchema,
    responses: { 200: { description: 'That page, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors() },
  },
  nanonetsPageImageRoute,
  {
    method: 'get',
    path: `${NANONETS}/Inferences/Model/{model_id}/InferenceRequest/`,
    operationId: 'nanonetsListFiles',
    tag: 'Nanonets',
    summary: 'Get all prediction files in a day window',
    description:
      'Both values are UTC days since 1970-01-01; `start_day_interval` below 10000 is read as a number of days back from `current_batch_day`. The window is inclusive.',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    query: nanonetsDayWindowQuerySchema,
    responses: { 200: { description: 'Pages in the window, bucketed by moderation.', schemas: ['NanonetsModeratedFileResponse'] }, ...nanonetsErrors(422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/UploadFile/`,
    operationId: 'nanonetsUploadTrainingFiles',
    tag: 'Nanonets',
    summary: 'Upload training images by file, with their annotation JSON in `data`',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'multipart', fields: nanonetsUploadFileFieldsSchema, files: [{ name: NANONETS_FILE_FIELD, many: true, required: true }] },
    responses: { 200: { description: 'Stored images and annotation totals per category.', schemas: ['NanonetsUploadResponse'] }, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/UploadUrls/`,
    operationId: 'nanonetsUploadTrainingUrls',
    tag: 'Nanonets',
    summary: 'Upload training images by URL',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    body: { kind: 'json', schema: nanonetsUploadUrlsBodySchema },
    responses: { 200: { description: 'Stored images and annotation totals per category.', schemas: ['NanonetsUploadResponse'] }, ...nanonetsErrors(413, 415, 422) },
  },
  {
    method: 'post',
    path: `${NANONETS}/OCR/Model/{model_id}/Train/`,
    operationId: 'nanonetsTrain',
    tag: 'Nanonets',
    summary: 'Train model (records a training run; no trainer runs yet and the answer says so)',
    security: 'basic',
    params: nanonetsModelParamsSchema,
    responses: { 200: { description: 'The recorded training run.', schemas: ['NanonetsTrainResponse'] }, ...nanonetsErrors() },
  },
  // ---- Files + OCR (Mistral SDK compatible) ------------------------------------------------
  {
    method: 'post',
    path: '/v1/files',
    operationId: 'filesUpload',
    tag: 'Files + OCR',
    summary: 'Upload a file (PDF, PNG, JPEG) with purpose=ocr',
    security: 'bearer',
    body: { kind: 'multipart', fields: mistralUploadFieldsSchema, files: [{ name: MISTRAL_FILE_FIELD, many: false, required: true }] },
    responses: { 200: { description: 'The stored file.', schemas: ['MistralFile'] }, ...mistralErrors(413, 415) },
  },
  {
    method: 'get',
    path: '/v1/files',
    operationId: 'filesList',
    tag: 'Files + OCR',
    summary: 'List files, newest first',
    security: 'bearer',
    query: mistralListFilesQuerySchema,
    responses: { 200: { description: 'One page of files.', schemas: ['MistralFileList'] }, ...mistralErrors() },
  },
  {
    method: 'get',
    path: '/v1/files/{file_id}',
    operationId: 'filesRetrieve',
    tag: 'Files + OCR',
    summary: 'Retrieve a file',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'The file.', schemas: ['MistralFile'] }, ...mistralErrors() },
  },
  {
    method: 'delete',
    path: '/v1/files/{file_id}',
    operationId: 'filesDelete',
    tag: 'Files + OCR',
    summary: 'Delete a file and its stored objects',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'Deleted.', schemas: ['MistralDeleteFile'] }, ...mistralErrors() },
  },
  {
    method: 'get',
    path: '/v1/files/{file_id}/content',
    operationId: 'filesDownload',
    tag: 'Files + OCR',
    summary: 'Download the original',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'The original bytes.', contentType: 'application/octet-stream' }, ...mistralErrors() },
  },
  {
    method: 'get',
    path: '/v1/files/{file_id}/url',
    operationId: 'filesGetSignedUrl',
    tag: 'Files + OCR',
    summary: 'Presigned download URL, valid `expiry` hours (1..168, default 24)',
    security: 'bearer',
    params: mistralFileParamsSchema,
    query: mistralSignedUrlQuerySchema,
    responses: { 200: { description: 'The URL.', schemas: ['MistralSignedUrl'] }, ...mistralErrors() },
  },
  {
    method: 'post',
    path: '/v1/files/{file_id}/ocr',
    operationId: 'filesOcr',
    tag: 'Files + OCR',
    summary: 'OCR an uploaded file',
    security: 'bearer',
    params: mistralFileParamsSchema,
    body: { kind: 'json', schema: mistralFileOcrRequestSchema },
    responses: { 200: { description: 'Pages as Markdown.', schemas: ['MistralOcrResponse'] }, ...mistralErrors(429) },
  },
  {
    method: 'post',
    path: '/v1/ocr',
    operationId: 'ocrProcess',
    tag: 'Files + OCR',
    summary: 'OCR a document given by URL, data: URI or file id (Mistral SDK `ocr.process`)',
    security: 'bearer',
    body: { kind: 'json', schema: mistralOcrRequestSchema },
    responses: { 200: { description: 'Pages as Markdown.', schemas: ['MistralOcrResponse'] }, ...mistralErrors(429) },
  },
  // ---- NIM ---------------------------------------------------------------------------------
  {
    method: 'post',
    path: '/v1/infer',
    operationId: 'nimInfer',
    tag: 'NIM',
    summary: 'Text detections of base64 PNG/JPEG data-URL images, boxes normalized to [0, 1]',
    security: 'bearer',
    body: { kind: 'json', schema: nimInferRequestSchema },
    responses: { 200: { description: 'One entry per input image.', schemas: ['NimInferResponse'] }, ...err('NimError', [401, 422, 429, 500, 503]) },
  },
  {
    method: 'get',
    path: '/v1/health/live',
    operationId: 'nimHealthLive',
    tag: 'NIM',
    summary: 'Liveness',
    security: 'none',
    responses: { 200: { description: 'The process is up.', schemas: ['NimHealthLive'] } },
  },
  {
    method: 'get',
    path: '/v1/health/ready',
    operationId: 'nimHealthReady',
    tag: 'NIM',
    summary: 'Readiness: models loaded, database, queue and storage reachable',
    security: 'none',
    responses: {
      200: { description: 'Ready.', schemas: ['NimHealthReady'] },
      503: { description: 'Not ready yet.', schemas: ['NimHealthReady'] },
    },
  },
  // ---- docTR -------------------------------------------------------------------------------
  {
    method: 'post',
    path: '/ocr',
    operationId: 'doctrOcr',
    tag: 'docTR',
    summary: 'Perform OCR: pages → blocks → lines → words with relative geometry',
    security: 'bearer',
    query: doctrQuerySchema,
    body: { kind: 'multipart', files: [{ name: DOCTR_FILES_FIELD, many: true, required: true }] },
    responses: { 200: { description: 'One entry per page.', schemas: ['DoctrResponse'] }, ...err('DoctrError', [400, 401, 413, 415, 422, 429, 500, 503]) },
  },
  // ---- progress stream, webhooks -----------------------------------------------------------
  ...notifyRoutes,
  // ---- back-office review (moderation) -----------------------------------------------------
  ...reviewRoutes,
  // ---- meta --------------------------------------------------------------------------------
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Meta',
    summary: 'This document',
    security: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document.' } },
  },
];

/** Express-style path (`:param`) of an OpenAPI template (`{param}`). */
export function expressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * The zod schemas a response of `operationId` with `status` must satisfy (any one of them), for
 * tests that check real answers. Empty when the route documents no JSON body for that status.
 */
export function responseSchemasFor(operationId: string, status: number): z.ZodType[] {
  const route = routes.find((r) => r.operationId === operationId);
  return (route?.responses[status]?.schemas ?? []).map((name) => responseComponents[name]);
}
