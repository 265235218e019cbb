import type { Failure, FailureOf } from './failure.catalogue.ts';
import { isDocumentFailure } from './failure.catalogue.ts';

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const mpx = (pixels: number): string => `${(pixels / 1e6).toFixed(1)} megapixels`;

type PageBudgetName = NonNullable<FailureOf<'too_complex'>['budget']>['name'];
const BUDGET_WORDS: Record<PageBudgetName, (found: number, limit: number) => string> = {
  content_bytes: (_found, limit) => `its content streams decode to more than ${mib(limit)}`,
  operators: (found, limit) => `it paints ${found} operators (at most ${limit})`,
  path_segments: (found, limit) => `one of its paths has ${found} segments (at most ${limit})`,
  image_pixels: (found, limit) => `its images hold ${mpx(found)} (at most ${mpx(limit)})`,
  image_stream_bytes: (_found, limit) => `an image stream inflates past the ${mib(limit)} its declared size needs`,
};

const storageUrlReasons: Record<FailureOf<'storage_url_refused'>['reason'], string> = {
  other_bucket: 'names another bucket',
  unsigned: 'is not a presigned URL',
  bad_signature: 'its signature is not valid',
  expired: 'it has expired',
  other_organization: 'the object belongs to another organization',
  not_found: 'the object does not exist',
};

/**
 * The plain English sentence for a failure: what the progress object, webhooks and dialects
 * without a wording of their own show. Document sentences read as libs/documents writes them.
 */
export function failureMessage(f: Failure): string {
  switch (f.code) {
    case 'empty':
      return f.noPages ? 'The PDF has no pages.' : 'The document is empty (0 bytes).';
    case 'unsupported_type':
      return `Unsupported document type${f.detail ? ` (${f.detail})` : ''}: send a PDF, PNG, JPEG or TIFF.`;
    case 'type_mismatch':
      return `The declared content type ${f.declared} does not match the content, which is ${f.actual}.`;
    case 'corrupt':
      return `The ${f.format.toUpperCase()} document is damaged or truncated and cannot be read.`;
    case 'encrypted':
      return 'The PDF is password-protected; remove the password and upload it again.';
    case 'too_large':
      return `The document is ${mib(f.bytes)}; the limit is ${mib(f.maxBytes)}.`;
    case 'too_many_pages':
      return `The document has ${f.pageCount} pages; the limit is ${f.maxPages}.`;
    case 'too_many_pixels':
      if (f.widthPt !== undefined && f.heightPt !== undefined) {
        return (
          `Page ${f.page + 1} measures ${(f.widthPt / 72).toFixed(0)}×${(f.heightPt / 72).toFixed(0)} inches; even at ${f.minDpi ?? 0} dpi ` +
          `it would exceed the limit of ${mpx(f.maxPixels)} per page.`
        );
      }
      return `Page ${f.page + 1} is ${f.width ?? 0}×${f.height ?? 0} pixels (${mpx((f.width ?? 0) * (f.height ?? 0))}); the limit is ${mpx(f.maxPixels)} per page.`;
    case 'url_invalid_url':
    case 'url_forbidden_address':
    case 'url_too_many_redirects':
    case 'url_timeout':
    case 'url_too_large':
    case 'url_http_status':
    case 'url_unreachable':
      return `Could not fetch ${f.url}: ${f.detail}`;
    case 'storage_url_refused':
      return `${f.url.split('?')[0]} points at Folio's storage but ${storageUrlReasons[f.reason]}; it was not fetched.`;
    case 'sync_page_limit':
      return `The document has ${f.pageCount} pages; sync requests take at most ${f.maxPages}. Use the async route for longer documents.`;
    case 'pages_failed':
      return `${f.failed} of ${f.total} pages failed`;
    case 'no_pages':
      return 'The file has no pages';
    case 'not_processed':
      return 'not processed before the file was finalized';
    case 'too_many_attempts':
      return `${f.stage ?? 'processing'} gave up after ${f.attempts} attempts (the page crashed or stalled its worker each time)`;
    case 'render_timeout':
      return `rendering page ${f.page + 1} took longer than ${f.timeoutMs} ms; the page was abandoned`;
    case 'too_complex':
      if (f.budget) return `page ${f.page + 1} is too complex to render: ${BUDGET_WORDS[f.budget.name](f.budget.found, f.budget.limit)}; refused before painting`;
      return `rendering page ${f.page + 1} needed more than ${Math.round(f.limitBytes / 1024 / 1024)} MB; the page is too complex`;
    case 'processing_error':
    case 'invalid_job_data':
      return f.detail;
    case 'legacy':
      return f.message;
    case 'no_categories':
      return 'The model has no categories to learn; add categories, then train again.';
    case 'no_usable_annotations':
      return `No annotation of the ${f.images} annotated image${f.images === 1 ? '' : 's'} matched a word the OCR read; check that the boxes cover the values, then train again.`;
    case 'training_crashed':
      return `Training failed on each of ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.detail}`;
    case 'training_superseded':
      return 'Superseded by a newer run of the same model.';
  }
}

/**
 * A page's reason as one line: the stage that failed, the document code when a document error
 * stopped it, then the sentence (`render failed: corrupt: The PDF document is damaged …`).
 */
export function pageFailureMessage(f: Failure): string {
  if (!f.stage || f.code === 'too_many_attempts' || f.code === 'not_processed' || f.code === 'legacy') return failureMessage(f);
  return `${f.stage} failed: ${isDocumentFailure(f) ? `${f.code}: ` : ''}${failureMessage(f)}`;
}
