import { describe, expect, it } from 'vitest';
import { nanonetsRefusalMessage } from '../nanonets/nanonets.errors.ts';
import { mistralRefusalMessage } from '../mistral/mistral.errors.ts';
import { FAILURE_CODES, failureSchema, isFileRefusal, type Failure } from './failure.catalogue.ts';
import { failureMessage, pageFailureMessage } from './failure.messages.ts';
import { fileFailureOf, fileFailureText, pageFailureOf, pageFailureText } from './failure.stored.ts';

describe('failure catalogue', () => {
  it('names every code once, each with its facts', () => {
    expect(new Set(FAILURE_CODES).size).toBe(FAILURE_CODES.length);
    expect(FAILURE_CODES).toEqual(
      expect.arrayContaining(['too_many_pages', 'corrupt', 'encrypted', 'empty', 'url_forbidden_address', 'sync_page_limit', 'pages_failed', 'render_timeout', 'too_many_attempts']),
    );
    expect(failureSchema.safeParse({ code: 'too_many_pages', pageCount: 9 }).success).toBe(false);
    expect(failureSchema.safeParse({ code: 'no_such_code' }).success).toBe(false);
  });

  it('renders plain English from the facts', () => {
    const cases: Array<[Failure, string]> = [
      [{ code: 'too_many_pages', pageCount: 12, maxPages: 10 }, 'The document has 12 pages; the limit is 10.'],
      [{ code: 'sync_page_limit', pageCount: 5, maxPages: 3 }, 'The document has 5 pages; sync requests take at most 3. Use the async route for longer documents.'],
      [{ code: 'corrupt', format: 'pdf' }, 'The PDF document is damaged or truncated and cannot be read.'],
      [{ code: 'url_http_status', url: 'https://x.test/a.pdf', detail: 'x.test answered HTTP 404', status: 404 }, 'Could not fetch https://x.test/a.pdf: x.test answered HTTP 404'],
      [{ code: 'pages_failed', failed: 1, total: 4 }, '1 of 4 pages failed'],
      [{ code: 'too_complex', page: 0, limitBytes: 1024 ** 3 }, 'rendering page 1 needed more than 1024 MB; the page is too complex'],
      [
        { code: 'too_complex', page: 2, limitBytes: 1024 ** 3, budget: { name: 'operators', limit: 5_000_000, found: 30_010_100 } },
        'page 3 is too complex to render: it paints 30010100 operators (at most 5000000); refused before painting',
      ],
      [
        { code: 'too_complex', page: 0, limitBytes: 1024 ** 3, budget: { name: 'image_pixels', limit: 100_000_000, found: 3_600_000_000 } },
        'page 1 is too complex to render: its images hold 3600.0 megapixels (at most 100.0 megapixels); refused before painting',
      ],
    ];
    for (const [failure, text] of cases) expect(failureMessage(failure)).toBe(text);
  });

  it('writes a page line with its stage, and the document code after it', () => {
    expect(pageFailureMessage({ code: 'corrupt', format: 'pdf', stage: 'render' })).toBe('render failed: corrupt: The PDF document is damaged or truncated and cannot be read.');
    expect(pageFailureMessage({ code: 'render_timeout', page: 2, timeoutMs: 500, stage: 'render' })).toBe('render failed: rendering page 3 took longer than 500 ms; the page was abandoned');
    expect(pageFailureMessage({ code: 'processing_error', detail: 'boom', stage: 'recognize' })).toBe('recognize failed: boom');
    expect(pageFailureMessage({ code: 'too_many_attempts', attempts: 5, stage: 'recognize' })).toBe(
      'recognize gave up after 5 attempts (the page crashed or stalled its worker each time)',
    );
  });

  it('lets each dialect word the sync page limit from its facts', () => {
    const failure: Failure = { code: 'sync_page_limit', pageCount: 5, maxPages: 3 };
    expect(nanonetsRefusalMessage(failure, { modelId: 'm1', route: 'LabelFile' })).toMatch(/^This request has 5 pages; sync requests accept at most 3\. Send it to POST \/api\/v2\/OCR\/Model\/m1\/LabelFile\/Async\//);
    expect(mistralRefusalMessage(failure)).toBe('The document has 5 pages; sync requests take at most 3. Upload it with POST /v1/files, then call POST /v1/files/{file_id}/ocr.');
    expect(mistralRefusalMessage({ code: 'encrypted' })).toBe(failureMessage({ code: 'encrypted' }));
  });

  it('reads rows written before the catalogue as legacy text, keeping their code', () => {
    const old = { failure: null, errorCode: 'encrypted', errorMessage: 'The PDF is encrypted' };
    expect(fileFailureOf(old)).toEqual({ code: 'legacy', storedCode: 'encrypted', message: 'The PDF is encrypted' });
    expect(fileFailureText(old)).toBe('The PDF is encrypted');
    expect(isFileRefusal(fileFailureOf(old)!)).toBe(true);
    expect(isFileRefusal(fileFailureOf({ errorCode: 'pages_failed', errorMessage: '1 of 2 pages failed' })!)).toBe(false);
    expect(fileFailureOf({ errorCode: null, errorMessage: null })).toBeNull();
    expect(pageFailureOf({ failure: { code: 'unknown_shape' }, error: 'recognize failed: x' })).toEqual({ code: 'legacy', storedCode: null, message: 'recognize failed: x' });
    expect(pageFailureText({ failure: { code: 'not_processed' }, error: 'ignored' })).toBe('not processed before the file was finalized');
  });
});
