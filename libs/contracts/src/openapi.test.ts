import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { documentPage, rotatedPage } from '../test/pages.fixture.ts';
import { doctrErrorBody } from './doctr/doctr.errors.ts';
import { doctrQuerySchema } from './doctr/doctr.requests.ts';
import { doctrResponse } from './doctr/doctr.responses.ts';
import { mistralErrorBody } from './mistral/mistral.errors.ts';
import { mistralDeleteResponse, mistralFileList, mistralFileObject } from './mistral/mistral.files.ts';
import { mistralOcrResponse } from './mistral/mistral.ocr.ts';
import { nanonetsErrorBody } from './nanonets/nanonets.errors.ts';
import { predictionsFromPage } from './nanonets/nanonets.predictions.ts';
import { nanonetsAsyncAccepted, nanonetsFileResult, nanonetsPredictionResponse } from './nanonets/nanonets.responses.ts';
import type { NanonetsFileView } from './nanonets/nanonets.views.ts';
import { nimErrorBody } from './nim/nim.errors.ts';
import { nimInferResponse } from './nim/nim.responses.ts';
import { buildOpenApiDocument, expressPath, openApiRoutes, responseSchemasFor } from './openapi.ts';
import { reviewPageDetail, reviewPageSummary, reviewPrediction, type ReviewPageRowView, type ReviewPredictionRowView } from './review/review.responses.ts';

const doc = buildOpenApiDocument('https://ocr.example.com/');

// The route list of DESIGN.md / the brief, spelled as the seeds spell it.
const expected: Array<[string, string]> = [
  ['post', '/api/v2/OCR/Model/{model_id}/LabelFile/'],
  ['post', '/api/v2/OCR/Model/{model_id}/LabelFile/Async/'],
  ['post', '/api/v2/OCR/Model/{model_id}/LabelUrls/'],
  ['post', '/api/v2/OCR/Model/{model_id}/LabelUrls/Async/'],
  ['get', '/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}'],
  ['get', '/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}'],
  ['get', '/api/v2/Inferences/Model/{model_id}/InferenceRequest/'],
  ['post', '/api/v2/OCR/Model/{model_id}/UploadFile/'],
  ['post', '/api/v2/OCR/Model/{model_id}/UploadUrls/'],
  ['post', '/api/v2/OCR/Model/{model_id}/Train/'],
  ['post', '/api/v2/OCR/Model/'],
  ['get', '/api/v2/OCR/Model/'],
  ['get', '/api/v2/OCR/Model/{model_id}'],
  ['patch', '/api/v2/OCR/Model/{model_id}'],
  ['post', '/v1/files'],
  ['get', '/v1/files'],
  ['get', '/v1/files/{file_id}'],
  ['delete', '/v1/files/{file_id}'],
  ['get', '/v1/files/{file_id}/content'],
  ['get', '/v1/files/{file_id}/url'],
  ['post', '/v1/files/{file_id}/ocr'],
  ['post', '/v1/ocr'],
  ['post', '/v1/infer'],
  ['get', '/v1/health/live'],
  ['get', '/v1/health/ready'],
  ['post', '/ocr'],
  ['get', '/openapi.json'],
  // Progress stream and webhooks (issue #6).
  ['get', '/v1/files/{file_id}/events'],
  ['get', '/v1/files/{file_id}/export'],
  ['post', '/v1/webhooks'],
  ['get', '/v1/webhooks'],
  ['delete', '/v1/webhooks/{webhook_id}'],
  ['get', '/v1/webhooks/{webhook_id}/deliveries'],
  // Page image (Nanonets) and the back-office review API.
  ['get', '/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}/image'],
  ['get', '/v1/review/models'],
  ['get', '/v1/review/pages'],
  ['get', '/v1/review/pages/{page_id}'],
  ['get', '/v1/review/pages/{page_id}/image'],
  ['post', '/v1/review/pages/{page_id}/approve'],
  ['post', '/v1/review/pages/{page_id}/reject'],
  ['post', '/v1/review/pages/{page_id}/reset'],
  ['post', '/v1/review/pages/{page_id}/revert'],
  ['post', '/v1/review/pages/{page_id}/predictions'],
  ['patch', '/v1/review/pages/{page_id}/predictions/{prediction_id}'],
  ['delete', '/v1/review/pages/{page_id}/predictions/{prediction_id}'],
];

type Json = Record<string, unknown>;

function ajv() {
  const a = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  a.addSchema({ $id: 'folio', components: doc.components } as Json);
  return a;
}

function validateResponse(path: string, method: string, status: number, body: unknown): string | null {
  const op = doc.paths[path]?.[method] as Json;
  const responses = op.responses as Record<string, Json>;
  const schema = ((responses[String(status)]?.content as Record<string, Json>)['application/json'] as Json).schema as Json;
  // Point component references at the registered document.
  const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"folio#/components/'));
  const validate = ajv().compile(resolved);
  return validate(body) ? null : JSON.stringify(validate.errors);
}

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1 with exactly the seed routes and the base URL as server', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://ocr.example.com' }]);
    expect(buildOpenApiDocument().servers).toEqual([]);
    const actual = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m, path]));
    expect(actual.sort()).toEqual([...expected].sort());
    expect(new Set(openApiRoutes.map((r) => r.operationId)).size).toBe(openApiRoutes.length);
  });

  it('documents the webhook POSTs: one per event, the payload as body, the signature headers', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(['file.complete', 'file.failed', 'file.partial']);
    const failed = doc.webhooks['file.failed']!.post as Json;
    expect(failed.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookPayload' } } } });
    expect((failed.parameters as Json[]).map((p) => [p.name, p.in])).toEqual([
      ['webhook-id', 'header'],
      ['webhook-timestamp', 'header'],
      ['webhook-signature', 'header'],
      ['Folio-Event', 'header'],
    ]);
    const data = ((doc.components.schemas.WebhookPayload as Json).properties as Record<string, Json>).data as Json;
    expect(Object.keys(data.properties as Json)).toContain('error');
  });

  it('declares every path parameter of every template, and only those', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops)) {
        const params = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path');
        expect(params.map((p) => p.name).sort(), path).toEqual(names);
        expect(params.every((p) => p.required === true)).toBe(true);
      }
    }
  });

  it('resolves every $ref and serializes to JSON', () => {
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas[name!], name).toBeDefined();
    }
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('uses Basic auth for Nanonets, Bearer for the rest, none for health', () => {
    const security = (path: string, method: string) => (doc.paths[path]?.[method] as Json).security;
    expect(security('/api/v2/OCR/Model/{model_id}/LabelFile/', 'post')).toEqual([{ BasicAuth: [] }]);
    expect(security('/v1/ocr', 'post')).toEqual([{ BearerAuth: [] }]);
    expect(security('/v1/health/ready', 'get')).toEqual([]);
    expect(security('/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}/image', 'get')).toEqual([{ BasicAuth: [] }]);
    for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/review/'))) {
      for (const [method, op] of Object.entries(ops)) expect((op as Json).security, `${method} ${path}`).toEqual([{ BearerAuth: [] }]);
    }
  });

  it('answers page images as image/png and their errors in the dialect`s shape', () => {
    const image = (path: string) => (doc.paths[path]?.get as Json).responses as Record<string, Json>;
    const nanonets = image('/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}/page/{page_id}/image');
    const review = image('/v1/review/pages/{page_id}/image');
    for (const responses of [nanonets, review]) {
      expect(responses['200']?.content).toEqual({ 'image/png': { schema: { type: 'string', format: 'binary' } } });
    }
    const errorRef = (r: Json | undefined) => ((r?.content as Record<string, Json>)['application/json']?.schema as Json).$ref;
    for (const status of ['400', '401', '404']) {
      expect(errorRef(nanonets[status]), status).toBe('#/components/schemas/NanonetsError');
      expect(errorRef(review[status]), status).toBe('#/components/schemas/FolioError');
    }
    const overlay = ((doc.paths['/v1/review/pages/{page_id}/image']?.get as Json).parameters as Json[]).find((p) => p.name === 'overlay');
    expect(overlay).toEqual({ name: 'overlay', in: 'query', required: false, schema: { type: 'boolean', default: false } });
  });

  it('documents the review API`s request bodies and queue filters from the zod schemas the routes parse with', () => {
    const body = (path: string, method: string) =>
      ajv().compile((((doc.paths[path]?.[method] as Json).requestBody as Json).content as Record<string, Json>)['application/json']!.schema as Json);
    const add = body('/v1/review/pages/{page_id}/predictions', 'post');
    expect(add({ xmin: 1, ymin: 2, xmax: 30, ymax: 40, ocr_text: 'stamp' })).toBe(true);
    expect(add({ xmin: 1.5, ymin: 2, xmax: 30, ymax: 40 })).toBe(false);
    expect(add({ xmin: 1, ymin: 2, xmax: 30, ymax: 40, text: 'typo' })).toBe(false);
    expect(add({ ocr_text: 'x' })).toBe(false);
    const edit = body('/v1/review/pages/{page_id}/predictions/{prediction_id}', 'patch');
    expect(edit({ ocr_text: 'Total 12.50 EUR' })).toBe(true);
    expect(edit({ score: 7 })).toBe(false);
    const queue = ((doc.paths['/v1/review/pages']?.get as Json).parameters as Json[]).map((p) => [p.name, p.required, (p.schema as Json).type]);
    expect(queue).toEqual([
      ['model_id', false, 'string'],
      ['state', false, 'string'],
      ['from_day', false, 'integer'],
      ['to_day', false, 'integer'],
      ['max_confidence', false, 'number'],
      ['limit', false, 'integer'],
      ['cursor', false, 'string'],
    ]);
  });

  it('documents query options with their types and defaults', () => {
    const params = (doc.paths['/ocr']?.post as Json).parameters as Json[];
    expect(params.find((p) => p.name === 'assume_straight_pages')).toEqual({
      name: 'assume_straight_pages',
      in: 'query',
      required: false,
      schema: { type: 'boolean', default: true },
    });
    const window = (doc.paths['/api/v2/Inferences/Model/{model_id}/InferenceRequest/']?.get as Json).parameters as Json[];
    expect(window.filter((p) => p.in === 'query').map((p) => [p.name, p.required, (p.schema as Json).type])).toEqual([
      ['start_day_interval', true, 'integer'],
      ['current_batch_day', true, 'integer'],
    ]);
  });

  it('accepts the seed and SDK request bodies in its request schemas', () => {
    const body = (path: string, type = 'application/json') =>
      ajv().compile((((doc.paths[path]?.post as Json).requestBody as Json).content as Record<string, Json>)[type]!.schema as Json);
    const infer = body('/v1/infer');
    expect(infer({ input: [{ type: 'image_url', url: 'data:image/png;base64,AAAA' }] })).toBe(true);
    expect(infer({ input: [{ type: 'text', url: 'x' }] })).toBe(false);
    const ocr = body('/v1/ocr');
    expect(ocr({ model: 'deepseek-ai/DeepSeek-OCR', document: { type: 'document_url', document_url: 'https://example.com/image.png' } })).toBe(true);
    expect(ocr({ model: null, document: { type: 'file', file_id: 'f' }, pages: '0-2', include_blocks: false })).toBe(true);
    expect(ocr({ model: 'm' })).toBe(false);
    const upload = body('/v1/files', 'multipart/form-data');
    expect(upload({ purpose: 'ocr', file: 'bytes' })).toBe(true);
    expect(upload({ file: 'bytes' })).toBe(false);
  });
});

describe('responses built by the mappers match the document', () => {
  const created = new Date('2025-03-04T10:00:00Z');
  const file: NanonetsFileView = {
    id: 'f1',
    modelId: 'm1',
    filename: 'a.pdf',
    status: 'COMPLETE',
    requestMetadata: null,
    processingType: 'SYNC',
    createdAt: created,
    storageKey: 'k',
    errorMessage: null,
    originalUrl: 'https://s3.local/k',
    pages: [
      {
        id: 'p0',
        index: 0,
        status: 'DONE',
        width: 1000,
        height: 1400,
        rotation: 0,
        daySinceEpoch: 20151,
        moderationState: 'APPROVED',
        error: null,
        imageUrl: 'https://s3.local/p0',
        predictions: predictionsFromPage(documentPage(), 0).map((p, i) => ({ ...p, id: `x${i}`, source: 'MODEL' as const, active: true })),
      },
    ],
  };
  const reviewRow: ReviewPageRowView = {
    id: 'p0',
    fileId: 'f1',
    modelId: 'm1',
    index: 0,
    status: 'DONE',
    width: 1000,
    height: 1400,
    rotation: 0,
    daySinceEpoch: 20151,
    moderationState: 'UNMODERATED',
    minConfidence: 0.41,
    minWordScore: 0.38,
    createdAt: created,
    completedAt: created,
  };
  const reviewBox: ReviewPredictionRowView = {
    id: 'b1',
    label: 'text',
    type: 'field',
    xmin: 1,
    ymin: 2,
    xmax: 30,
    ymax: 40,
    score: 0.41,
    ocrText: 'Total',
    cells: null,
    source: 'MODEL',
    active: true,
    order: 0,
  };
  const reviewDetail = {
    page: { ...reviewRow, modelId: null, width: null, height: null, completedAt: null },
    filename: 'a.pdf',
    categories: ['total'],
    fieldScore: 0.41,
    words: [{ text: 'Total', xmin: 1, ymin: 2, xmax: 30, ymax: 40, score: 0.38, line: 0 }],
    imageUrl: 'https://s3.local/p0',
    imagePath: '/v1/review/pages/p0/image',
    predictions: [reviewBox, { ...reviewBox, id: 'b2', source: 'MODERATOR' as const, score: 1 }],
    events: [
      { id: 'e1', predictionId: 'b2', actor: 'k1', action: 'update', before: { ocrText: 'Tota1' }, after: { ocrText: 'Total' }, createdAt: created },
      { id: 'e2', predictionId: null, actor: 'k1', action: 'approve', before: null, after: { moderationState: 'APPROVED' }, createdAt: created },
    ],
  };
  const n = '/api/v2/OCR/Model/{model_id}/LabelFile/';
  const cases: Array<[string, string, number, unknown]> = [
    [n, 'post', 200, nanonetsPredictionResponse([file])],
    [n, 'post', 200, nanonetsAsyncAccepted([file])],
    [n, 'post', 400, nanonetsErrorBody({ status: 400, code: 'bad_request', message: 'x', reason: 'encrypted' })],
    ['/api/v2/Inferences/Model/{model_id}/InferenceRequest/{request_file_id}', 'get', 200, nanonetsFileResult(file)],
    ['/v1/files', 'post', 200, mistralFileObject({ id: 'f', filename: 'a.pdf', bytes: 3, mime: 'application/pdf', createdAt: created })],
    ['/v1/files', 'get', 200, mistralFileList([], 0)],
    ['/v1/files/{file_id}', 'delete', 200, mistralDeleteResponse('f')],
    ['/v1/ocr', 'post', 200, mistralOcrResponse({ id: 'o', pages: [{ index: 0, result: documentPage() }], docSizeBytes: 9 })],
    ['/v1/ocr', 'post', 404, mistralErrorBody({ status: 404, code: 'not_found', message: 'no' })],
    ['/v1/ocr', 'post', 422, mistralErrorBody({ status: 422, code: 'unprocessable', message: 'no' })],
    ['/v1/infer', 'post', 200, nimInferResponse([{ page: rotatedPage(), level: 'word' }])],
    ['/v1/infer', 'post', 422, nimErrorBody({ message: 'bad' })],
    ['/ocr', 'post', 200, doctrResponse([{ name: 'a', page: documentPage() }], doctrQuerySchema.parse({ assume_straight_pages: 'false' }))],
    ['/ocr', 'post', 422, doctrErrorBody({ status: 422, code: 'x', message: 'y', issues: [{ loc: ['query', 'a'], msg: 'm', type: 't' }] })],
    ['/v1/review/pages', 'get', 200, { object: 'list', data: [reviewPageSummary(reviewRow, 'a.pdf', 0.41), reviewPageSummary(reviewRow, 'b.pdf', null)], next_cursor: 'abc', total: 7 }],
    ['/v1/review/pages/{page_id}', 'get', 200, reviewPageDetail(reviewDetail)],
    ['/v1/review/pages/{page_id}/approve', 'post', 200, reviewPageDetail({ ...reviewDetail, imageUrl: null, predictions: [], events: [] })],
    ['/v1/review/pages/{page_id}/predictions', 'post', 201, reviewPrediction(reviewBox)],
    ['/v1/review/pages/{page_id}/predictions/{prediction_id}', 'patch', 200, reviewPrediction({ ...reviewBox, cells: [{ row: 0, col: 0, text: 'x' }] })],
    ['/v1/review/pages/{page_id}/predictions/{prediction_id}', 'delete', 200, reviewPrediction({ ...reviewBox, active: false })],
    ['/v1/review/models', 'get', 200, { object: 'list', data: [{ id: 'm1', name: 'Invoices', kind: 'ocr' }] }],
    ['/v1/review/pages/{page_id}/predictions', 'post', 422, { error: { code: 'unprocessable', reason: 'invalid_box', message: 'Invalid box.' } }],
    ['/v1/review/pages/{page_id}/predictions', 'post', 422, { error: { code: 'unprocessable', reason: 'unknown_category', message: 'Unknown category "x".' } }],
  ];

  it.each(cases)('%s %s %i', (path, method, status, body) => {
    expect(validateResponse(path, method, status, body)).toBeNull();
  });

  it('offers the zod schemas of each route for tests of real answers', () => {
    const [schema] = responseSchemasFor('nimInfer', 200);
    expect(schema?.safeParse(nimInferResponse([{ page: documentPage(), level: 'sentence' }])).success).toBe(true);
    expect(responseSchemasFor('nanonetsLabelFile', 200)).toHaveLength(2);
    expect(responseSchemasFor('nope', 200)).toEqual([]);
    const [detail] = responseSchemasFor('reviewGetPage', 200);
    expect(detail?.safeParse(reviewPageDetail(reviewDetail)).success).toBe(true);
    expect(detail?.safeParse({ ...reviewPageDetail(reviewDetail), events: [{ id: 'e' }] }).success).toBe(false);
    expect(responseSchemasFor('reviewUpdatePrediction', 409).map((s) => s.safeParse({ error: { code: 'conflict', reason: 'prediction_inactive', message: 'm' } }).success)).toEqual([true]);
    expect(expressPath('/v1/files/{file_id}/ocr')).toBe('/v1/files/:file_id/ocr');
  });
});
