import {
  MISTRAL_FILE_FIELD,
  mistralFileOcrRequestSchema,
  mistralFileParamsSchema,
  mistralListFilesQuerySchema,
  mistralOcrRequestSchema,
  mistralSignedUrlQuerySchema,
  mistralUploadFieldsSchema,
} from '../mistral/mistral.requests.ts';
import { fileExportQuerySchema } from '../mistral/mistral.export.ts';
import { errorResponses } from './openapi.errors.ts';
import type { Operations } from './openapi.types.ts';

const mistralErrors = (...extra: number[]) => ({
  ...errorResponses('MistralError', [400, 401, 404, 500, 503, ...extra]),
  422: { description: 'Request validation error (FastAPI detail list).', schemas: ['MistralValidationError' as const] },
});

/** Files + OCR (Mistral SDK compatible, Bearer), and the progress stream of a file. */
export const filesOperations = {
  filesUpload: {
    method: 'post',
    path: '/v1/files',
    tag: 'Files + OCR',
    summary: 'Upload a file (PDF, PNG, JPEG) with purpose=ocr',
    security: 'bearer',
    body: { kind: 'multipart', fields: mistralUploadFieldsSchema, files: [{ name: MISTRAL_FILE_FIELD, many: false, required: true }] },
    responses: { 200: { description: 'The stored file.', schemas: ['MistralFile'] }, ...mistralErrors(413, 415) },
  },
  filesList: {
    method: 'get',
    path: '/v1/files',
    tag: 'Files + OCR',
    summary: 'List files, newest first',
    security: 'bearer',
    query: mistralListFilesQuerySchema,
    responses: { 200: { description: 'One page of files.', schemas: ['MistralFileList'] }, ...mistralErrors() },
  },
  filesRetrieve: {
    method: 'get',
    path: '/v1/files/{file_id}',
    tag: 'Files + OCR',
    summary: 'Retrieve a file',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'The file.', schemas: ['MistralFile'] }, ...mistralErrors() },
  },
  filesDelete: {
    method: 'delete',
    path: '/v1/files/{file_id}',
    tag: 'Files + OCR',
    summary: 'Delete a file and its stored objects',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'Deleted.', schemas: ['MistralDeleteFile'] }, ...mistralErrors() },
  },
  filesDownload: {
    method: 'get',
    path: '/v1/files/{file_id}/content',
    tag: 'Files + OCR',
    summary: 'Download the original',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: { 200: { description: 'The original bytes.', contentType: 'application/octet-stream' }, ...mistralErrors() },
  },
  filesGetSignedUrl: {
    method: 'get',
    path: '/v1/files/{file_id}/url',
    tag: 'Files + OCR',
    summary: 'Presigned download URL, valid `expiry` hours (1..168, default 24)',
    security: 'bearer',
    params: mistralFileParamsSchema,
    query: mistralSignedUrlQuerySchema,
    responses: { 200: { description: 'The URL.', schemas: ['MistralSignedUrl'] }, ...mistralErrors() },
  },
  filesOcr: {
    method: 'post',
    path: '/v1/files/{file_id}/ocr',
    tag: 'Files + OCR',
    summary: 'OCR an uploaded file',
    security: 'bearer',
    params: mistralFileParamsSchema,
    body: { kind: 'json', schema: mistralFileOcrRequestSchema },
    responses: { 200: { description: 'Pages as Markdown.', schemas: ['MistralOcrResponse'] }, ...mistralErrors(429) },
  },
  ocrProcess: {
    method: 'post',
    path: '/v1/ocr',
    tag: 'Files + OCR',
    summary: 'OCR a document given by URL, data: URI or file id (Mistral SDK `ocr.process`)',
    security: 'bearer',
    body: { kind: 'json', schema: mistralOcrRequestSchema },
    responses: { 200: { description: 'Pages as Markdown.', schemas: ['MistralOcrResponse'] }, ...mistralErrors(429) },
  },
  filesExport: {
    method: 'get',
    path: '/v1/files/{file_id}/export',
    tag: 'Files + OCR',
    summary: 'Export a finished file: searchable PDF, hOCR, text, Markdown or JSON',
    description:
      '`pdf`: the original PDF with an invisible text layer added on the pages that were OCR\'d (pages read from their own ' +
      'text layer are left as they are), or one page per image of an image input, text selectable at each word. `hocr`: hOCR 1.2 ' +
      '(`ocr_page`, `ocr_carea`, `ocr_par`, `ocr_line`, `ocrx_word` with `bbox` and `x_wconf`). `txt`, `md`: the pages as ' +
      'text or Markdown. `json`: the canonical pages (with `source` and each word\'s `origin`). A file still being read answers ' +
      '409 with its progress.',
    security: 'bearer',
    params: mistralFileParamsSchema,
    query: fileExportQuerySchema,
    responses: {
      200: { description: 'The export, as `application/pdf`, `application/xhtml+xml`, `text/plain`, `text/markdown` or `application/json`.', contentType: 'application/octet-stream' },
      409: { description: 'The file is not finished yet (`file_not_finished`); `processing` says how far it is.', schemas: ['MistralExportPending'] },
      ...mistralErrors(),
    },
  },
  filesEvents: {
    method: 'get',
    path: '/v1/files/{file_id}/events',
    tag: 'Files + OCR',
    summary: 'Progress as Server-Sent Events',
    description:
      'A `snapshot` event, then `progress` as pages finish, then one of `complete`, `partial`, `failed`, after which the server closes the ' +
      'stream; `: heartbeat` comments every SSE_HEARTBEAT_MS (15 s). Each event`s data is the progress object (`processing` of the file).',
    security: 'bearer',
    params: mistralFileParamsSchema,
    responses: {
      200: { description: 'text/event-stream until the file is final.', contentType: 'text/event-stream' },
      401: { description: 'Missing or invalid API key.', schemas: ['MistralError'] },
      404: { description: 'Unknown id, or one that belongs to another organization.', schemas: ['MistralError'] },
    },
  },
} satisfies Operations;
