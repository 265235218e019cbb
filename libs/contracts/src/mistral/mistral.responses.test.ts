import { describe, expect, it } from 'vitest';
import { issuesFromZod } from '../common/errors.ts';
import { documentPage, rotatedPage } from '../../test/pages.fixture.ts';
import { mistralErrorBody } from './mistral.errors.ts';
import { mistralDeleteResponse, mistralFileList, mistralFileObject, mistralSignedUrlResponse } from './mistral.files.ts';
import { MISTRAL_DEFAULT_MODEL, mistralOcrResponse } from './mistral.ocr.ts';
import {
  mistralDocumentSource,
  mistralFileOcrRequestSchema,
  mistralListFilesQuerySchema,
  mistralOcrRequestSchema,
  mistralSignedUrlQuerySchema,
  mistralUploadFieldsSchema,
} from './mistral.requests.ts';
import {
  mistralDeleteFileSchema,
  mistralErrorSchema,
  mistralFileListSchema,
  mistralFileSchema,
  mistralOcrImageSchema,
  mistralOcrPageSchema,
  mistralOcrResponseSchema,
  mistralSignedUrlSchema,
  mistralValidationErrorSchema,
} from './mistral.schemas.ts';

const view = {
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  filename: 'invoice.pdf',
  bytes: 245678,
  mime: 'application/pdf',
  createdAt: new Date('2025-01-02T03:04:05.678Z'),
  sha256: 'ab'.repeat(32),
};

describe('Files responses', () => {
  it('builds the file object the Mistral SDK requires', () => {
    const file = mistralFileObject(view);
    expect(mistralFileSchema.parse(file)).toEqual(file);
    expect(file).toMatchObject({
      id: view.id,
      object: 'file',
      bytes: 245678,
      created_at: 1735787045,
      filename: 'invoice.pdf',
      purpose: 'ocr',
      sample_type: 'ocr_input',
      source: 'upload',
      mimetype: 'application/pdf',
      signature: view.sha256,
      expires_at: null,
      deleted: false,
      status: 'complete',
    });
  });

  it('tells processing from processed in status', () => {
    const statuses = (['QUEUED', 'PROCESSING', 'COMPLETE', 'PARTIAL', 'FAILED'] as const).map((fileStatus) => mistralFileObject({ ...view, fileStatus }).status);
    expect(statuses).toEqual(['processing', 'processing', 'complete', 'partial', 'failed']);
  });

  it("carries every field of the seed's upload example with the same value types", () => {
    const seed = { id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', filename: 'invoice.pdf', bytes: 245678, purpose: 'ocr', status: 'complete' };
    const file = mistralFileObject(view) as Record<string, unknown>;
    for (const [key, value] of Object.entries(seed)) expect(typeof file[key], key).toBe(typeof value);
    expect(mistralFileSchema.pick({ id: true, filename: true, bytes: true, purpose: true, status: true }).safeParse(seed).success).toBe(true);
  });

  it('lists, deletes and signs', () => {
    const list = mistralFileList([view, { ...view, id: 'b', expiresAt: new Date(2_000_000_000_000) }], 7);
    expect(mistralFileListSchema.parse(list).total).toBe(7);
    expect(list.data[1]?.expires_at).toBe(2_000_000_000);
    expect('total' in mistralFileList([view])).toBe(false);
    expect(mistralDeleteFileSchema.parse(mistralDeleteResponse('x'))).toEqual({ id: 'x', object: 'file', deleted: true });
    expect(mistralSignedUrlSchema.parse(mistralSignedUrlResponse('https://s3/x?sig'))).toEqual({ url: 'https://s3/x?sig' });
  });
});

describe('OCR response', () => {
  const input = {
    id: 'ocr-1',
    pages: [
      { index: 2, result: rotatedPage() },
      { index: 0, result: documentPage(), image: { dataUrl: 'data:image/png;base64,AAAA', width: 1000.4, height: 1400 } },
    ],
    docSizeBytes: 1234,
  };

  it('builds pages in index order with markdown, integer dimensions and usage', () => {
    const res = mistralOcrResponse(input);
    expect(mistralOcrResponseSchema.parse(res)).toBeTruthy();
    expect(res.model).toBe(MISTRAL_DEFAULT_MODEL);
    expect(res.pages.map((p) => p.index)).toEqual([0, 2]);
    expect(res.pages[0]?.markdown.startsWith('# Invoice 42')).toBe(true);
    expect(res.pages[0]?.dimensions).toEqual({ dpi: 144, height: 1400, width: 1000 });
    expect(res.pages[1]?.dimensions).toEqual({ dpi: 72, height: 400, width: 600 });
    expect(res.pages.every((p) => p.images.length === 0)).toBe(true);
    expect(res.usage_info).toEqual({ pages_processed: 2, doc_size_bytes: 1234, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    expect('document_annotation' in res).toBe(false);
  });

  it('includes the page image only when asked, within image_limit and image_min_size', () => {
    const withImages = mistralOcrResponse({ ...input, includeImageBase64: true, model: 'm' });
    expect(withImages.model).toBe('m');
    expect(withImages.pages[0]?.images).toEqual([
      {
        id: 'page-0.png',
        top_left_x: 0,
        top_left_y: 0,
        bottom_right_x: 1000,
        bottom_right_y: 1400,
        image_base64: 'data:image/png;base64,AAAA',
        dimensions: { width: 1000, height: 1400 },
      },
    ]);
    expect(mistralOcrResponse({ ...input, includeImageBase64: true, imageLimit: 0 }).pages[0]?.images).toEqual([]);
    expect(mistralOcrResponse({ ...input, includeImageBase64: true, imageMinSize: 1401 }).pages[0]?.images).toEqual([]);
  });

  it('answers a failed page with empty markdown and null dimensions, and echoes a document annotation', () => {
    const res = mistralOcrResponse({ id: 'x', pages: [{ index: 0, result: null }], docSizeBytes: 1, documentAnnotation: '{"a":1}' });
    expect(res.pages[0]).toEqual({ index: 0, markdown: '', images: [], dimensions: null });
    expect(res.usage_info.pages_processed).toBe(0);
    expect(res.document_annotation).toBe('{"a":1}');
  });

  it("validates the seed's response examples", () => {
    const seedResponse = {
      id: 'ocr-1731500000',
      model: 'deepseek-ai/DeepSeek-OCR',
      pages: [{ index: 0, markdown: 'Extracted text from the image in markdown format...', images: [], dimensions: { width: 595, height: 842, dpi: 72 } }],
      usage_info: { pages_processed: 1, doc_size_bytes: 245678, prompt_tokens: 1200, completion_tokens: 3400, total_tokens: 4600 },
      usage: { prompt_tokens: 1200, completion_tokens: 3400, total_tokens: 4600 },
    };
    expect(mistralOcrResponseSchema.safeParse(seedResponse).success).toBe(true);
    const seedImagePage = {
      index: 0,
      markdown: 'Extracted text...',
      images: [
        {
          id: 'img-0.jpeg',
          top_left_x: 50,
          top_left_y: 100,
          bottom_right_x: 500,
          bottom_right_y: 400,
          image_base64: 'data:image/jpeg;base64,/9j/4AAQ...',
          dimensions: { width: 450, height: 300 },
        },
      ],
    };
    expect(mistralOcrImageSchema.safeParse(seedImagePage.images[0]).success).toBe(true);
    // The seed's image example omits `dimensions` of the page; the SDK requires the key (nullable).
    expect(mistralOcrPageSchema.safeParse({ ...seedImagePage, dimensions: null }).success).toBe(true);
    const seedAnnotation = { ...seedResponse, document_annotation: '{"title": "Invoice #1234", "total": "$1,250.00"}' };
    expect(mistralOcrResponseSchema.safeParse(seedAnnotation).success).toBe(true);
  });
});

describe('requests', () => {
  it('parses what the official SDK sends to /v1/ocr', () => {
    const sdkBody = {
      model: 'mistral-ocr-latest',
      document: { type: 'document_url', document_url: 'https://example.com/a.pdf' },
      include_image_base64: true,
      include_blocks: false,
      pages: [0, 1],
    };
    const parsed = mistralOcrRequestSchema.parse(sdkBody);
    expect(mistralDocumentSource(parsed.document)).toEqual({ kind: 'url', url: 'https://example.com/a.pdf' });
    const byFile = mistralOcrRequestSchema.parse({ model: null, document: { type: 'file', file_id: 'f1' } });
    expect(mistralDocumentSource(byFile.document)).toEqual({ kind: 'file', fileId: 'f1' });
    const image = mistralOcrRequestSchema.parse({ model: null, document: { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } } });
    expect(mistralDocumentSource(image.document)).toEqual({ kind: 'data', dataUrl: 'data:image/png;base64,AAAA' });
  });

  it("parses the seed's three document types", () => {
    const docs = [
      [{ type: 'document_url', document_url: 'https://example.com/image.png' }, { kind: 'url', url: 'https://example.com/image.png' }],
      [{ type: 'document_url', document_url: 'data:application/pdf;base64,JVBERi0xLjQK' }, { kind: 'data', dataUrl: 'data:application/pdf;base64,JVBERi0xLjQK' }],
      [{ type: 'content', document_content: 'data:application/pdf;base64,JVBERi0xLjQK' }, { kind: 'data', dataUrl: 'data:application/pdf;base64,JVBERi0xLjQK' }],
      [{ type: 'file_id', file_id: 'f', org_id: 'o' }, { kind: 'file', fileId: 'f', orgId: 'o' }],
    ] as const;
    for (const [document, source] of docs) {
      expect(mistralDocumentSource(mistralOcrRequestSchema.parse({ model: 'deepseek-ai/DeepSeek-OCR', document }).document)).toEqual(source);
    }
  });

  it('refuses a missing document, an unknown type, a non-http URL and a long pages list', () => {
    expect(mistralOcrRequestSchema.safeParse({ model: 'm' }).success).toBe(false);
    expect(mistralOcrRequestSchema.safeParse({ document: { type: 'video', url: 'x' } }).success).toBe(false);
    expect(mistralOcrRequestSchema.safeParse({ document: { type: 'document_url', document_url: 'file:///etc/passwd' } }).success).toBe(false);
    const long = mistralFileOcrRequestSchema.safeParse({ pages: Array.from({ length: 1001 }, (_, i) => i) });
    expect(long.success).toBe(false);
    expect(mistralFileOcrRequestSchema.safeParse({ pages: '0-2', prompt: 'x', skip_special_tokens: true }).success).toBe(true);
    expect(mistralFileOcrRequestSchema.safeParse({ pages: -1 }).success).toBe(false);
  });

  it('parses upload fields, list and signed-URL queries as the SDK sends them', () => {
    expect(mistralUploadFieldsSchema.parse({ purpose: 'ocr', visibility: 'workspace' })).toEqual({ purpose: 'ocr', visibility: 'workspace' });
    expect(mistralUploadFieldsSchema.parse({ purpose: 'ocr', expiry: 'null' }).expiry).toBeUndefined();
    const wrong = mistralUploadFieldsSchema.safeParse({ purpose: 'fine-tune' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toBe('purpose is required and must be "ocr".');
    expect(mistralListFilesQuerySchema.parse({})).toEqual({ page: 0, page_size: 100, include_total: true });
    expect(mistralListFilesQuerySchema.parse({ page: '2', page_size: '10', include_total: 'false', mimetypes: 'application/pdf' })).toMatchObject({
      page: 2,
      page_size: 10,
      include_total: false,
      mimetypes: ['application/pdf'],
    });
    expect(mistralListFilesQuerySchema.safeParse({ page_size: '0' }).success).toBe(false);
    expect(mistralSignedUrlQuerySchema.parse({})).toEqual({ expiry: 24 });
    expect(mistralSignedUrlQuerySchema.safeParse({ expiry: '169' }).success).toBe(false);
  });
});

describe('errors', () => {
  it('answers 422 as a FastAPI detail list the SDK parses', () => {
    const parsed = mistralOcrRequestSchema.safeParse({ document: { type: 'document_url' } });
    expect(parsed.success).toBe(false);
    const body = mistralErrorBody({ status: 422, code: 'unprocessable', message: 'bad', issues: issuesFromZod(parsed.error!, 'body') });
    expect(mistralValidationErrorSchema.parse(body).detail[0]?.loc).toEqual(['body', 'document', 'document_url']);
    expect(mistralValidationErrorSchema.safeParse(mistralErrorBody({ status: 422, code: 'unprocessable', message: 'bad' })).success).toBe(true);
  });

  it('answers other statuses with the Mistral error object', () => {
    const body = mistralErrorBody({ status: 404, code: 'not_found', message: 'File x not found.' });
    expect(mistralErrorSchema.parse(body)).toEqual({ object: 'error', message: 'File x not found.', type: 'not_found_error', param: null, code: 'not_found' });
    expect(mistralErrorBody({ status: 400, code: 'bad_request', message: 'PDF is encrypted', reason: 'encrypted' })).toMatchObject({
      type: 'invalid_request_error',
      code: 'encrypted',
    });
  });
});
