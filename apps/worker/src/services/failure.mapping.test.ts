import { describe, expect, it } from 'vitest';
import { failureMessage, failureSchema } from '@folio/contracts';
import { documentErrors, type DocumentError } from '@folio/documents';
import { FAILURE_REASONS } from '@folio/services';
import { UrlFetchError } from '@folio/url-fetch';
import { RenderTimeoutError } from '../render/render.pool.ts';
import { failureOf, FailureError, urlFailureOf } from './failure.mapping.ts';

describe('failure mapping', () => {
  it('stores a document error as its facts, which the catalogue words exactly as libs/documents did', () => {
    const raised: DocumentError[] = [
      documentErrors.empty(),
      documentErrors.noPages(),
      documentErrors.unsupportedType(),
      documentErrors.unsupportedType('declared as text/plain'),
      documentErrors.typeMismatch('image/png', 'application/pdf'),
      documentErrors.corrupt('tiff'),
      documentErrors.encrypted(),
      documentErrors.tooLarge(30 * 1024 * 1024, 20 * 1024 * 1024),
      documentErrors.tooManyPages(12, 10),
      documentErrors.tooManyPixels(1, 20_000, 20_000, 100_000_000),
      documentErrors.pageTooLargeToRender(0, 14_400, 14_400, 50, 100_000_000),
    ];
    for (const err of raised) {
      const failure = failureOf(err, 'render');
      expect(failureSchema.parse(failure)).toEqual(failure);
      expect(failureMessage(failure)).toBe(err.message);
    }
  });

  it('keeps the facts of the render deadline, of a permanent failure, of a URL and of anything else', () => {
    expect(failureOf(new RenderTimeoutError(2, 500), 'render')).toEqual({ code: 'render_timeout', page: 2, timeoutMs: 500, stage: 'render' });
    expect(failureOf(new FailureError({ code: 'encrypted' }), 'render')).toEqual({ code: 'encrypted', stage: 'render' });
    expect(failureOf(new Error('boom'), 'recognize')).toEqual({ code: 'processing_error', detail: 'boom', stage: 'recognize' });
    expect(urlFailureOf(new UrlFetchError('http_status', 'x.test answered HTTP 404', { status: 404 }), 'https://x.test/')).toEqual({
      code: 'url_http_status',
      url: 'https://x.test/',
      detail: 'x.test answered HTTP 404',
      status: 404,
    });
  });

  it('counts every stored code under its own metrics label', () => {
    for (const code of ['render_timeout', 'processing_error', 'too_many_attempts', 'sync_page_limit', 'url_timeout', 'corrupt']) {
      expect(FAILURE_REASONS).toContain(code);
    }
  });
});
