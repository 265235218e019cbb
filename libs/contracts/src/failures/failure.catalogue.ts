import { z } from 'zod';

/**
 * Every reason Folio refuses a document or gives up on a file or page, as data. The worker
 * stores one with the File or Page row (`failure` JSON), the API decides its answer from the
 * `code` and its facts, and each dialect renders its own sentence from them
 * (`failureMessage` for plain English). Nothing reads a reason back out of message text.
 */

/** The pipeline stage a page failed in, when it failed inside one. */
export const failureStageSchema = z.enum(['ingest', 'render', 'recognize', 'finalize']);
export type FailureStage = z.infer<typeof failureStageSchema>;

const count = z.int().min(0);
/** Zero-based page index. */
const pageIndex = z.int().min(0);
/** Present on page failures: the stage that gave up. */
const stage = failureStageSchema.optional();

/** Codes a document can be refused with (libs/documents `DocumentErrorCode`). */
export const DOCUMENT_FAILURE_CODES = [
  'empty',
  'unsupported_type',
  'type_mismatch',
  'corrupt',
  'encrypted',
  'too_large',
  'too_many_pages',
  'too_many_pixels',
] as const;

/** Codes of a URL that could not be fetched (libs/url-fetch `UrlFetchErrorCode` with `url_` in front). */
export const URL_FAILURE_CODES = [
  'url_invalid_url',
  'url_forbidden_address',
  'url_too_many_redirects',
  'url_timeout',
  'url_too_large',
  'url_http_status',
  'url_unreachable',
] as const;
export type UrlFailureCode = (typeof URL_FAILURE_CODES)[number];

const documentFailures = [
  /** `noPages`: a PDF without pages rather than a file of 0 bytes. */
  z.object({ code: z.literal('empty'), noPages: z.boolean().optional(), stage }),
  /** `detail` names what was seen instead (e.g. the sniffed type). */
  z.object({ code: z.literal('unsupported_type'), detail: z.string().optional(), stage }),
  z.object({ code: z.literal('type_mismatch'), declared: z.string(), actual: z.string(), stage }),
  /** `format`: `pdf`, `png`, `jpeg`, `tiff`. */
  z.object({ code: z.literal('corrupt'), format: z.string(), stage }),
  z.object({ code: z.literal('encrypted'), stage }),
  /** Bytes of the document and the limit. */
  z.object({ code: z.literal('too_large'), bytes: count, maxBytes: count, stage }),
  z.object({ code: z.literal('too_many_pages'), pageCount: count, maxPages: count, stage }),
  /**
   * A page over the pixel limit: measured in pixels (`width`, `height`), or in PDF points
   * (`widthPt`, `heightPt`) when even `minDpi` would exceed `maxPixels`.
   */
  z.object({
    code: z.literal('too_many_pixels'),
    page: pageIndex,
    maxPixels: count,
    width: count.optional(),
    height: count.optional(),
    widthPt: z.number().optional(),
    heightPt: z.number().optional(),
    minDpi: z.number().optional(),
    stage,
  }),
] as const;

/** `url`: the URL as recorded; `detail`: the fetcher's explanation, shown as is, never parsed. */
const urlFailures = URL_FAILURE_CODES.map((code) =>
  z.object({
    code: z.literal(code),
    url: z.string(),
    detail: z.string(),
    /** Upstream HTTP status, for `url_http_status`. */
    status: z.int().optional(),
    stage,
  }),
);

/** Why a URL pointing at Folio's own storage was refused (libs/storage `StorageUrlRefusal`, plus the owner check). */
export const STORAGE_URL_REFUSALS = ['other_bucket', 'unsigned', 'bad_signature', 'expired', 'other_organization', 'not_found'] as const;

const storageUrlFailures = [
  /**
   * A URL on Folio's storage endpoint that is not a valid, unexpired presigned URL of an object of
   * the requesting organization. Never fetched: `url` is the URL as given, `reason` why.
   */
  z.object({ code: z.literal('storage_url_refused'), url: z.string(), reason: z.enum(STORAGE_URL_REFUSALS), stage }),
] as const;

/** The budgets a PDF page is checked against before it is painted (see @folio/documents pdf.budget.ts). */
export const PAGE_BUDGET_NAMES = ['content_bytes', 'operators', 'path_segments', 'image_pixels', 'image_stream_bytes'] as const;

const pipelineFailures = [
  /** A sync request's document is longer than sync takes (`SYNC_MAX_PAGES`). */
  z.object({ code: z.literal('sync_page_limit'), pageCount: count, maxPages: count, stage }),
  /** File-level: some or all of its pages failed (each page says why). */
  z.object({ code: z.literal('pages_failed'), failed: count, total: count, stage }),
  /** File-level: it was finalized without any pages. */
  z.object({ code: z.literal('no_pages'), stage }),
  /** Page-level: the file was finalized (forced) before this page was processed. */
  z.object({ code: z.literal('not_processed'), stage }),
  /** Page-level: the page crashed or stalled its worker on every attempt. */
  z.object({ code: z.literal('too_many_attempts'), attempts: count, stage }),
  /** Page-level: rasterizing took longer than `RENDER_TIMEOUT_MS`. */
  z.object({ code: z.literal('render_timeout'), page: pageIndex, timeoutMs: count, stage }),
  /**
   * Page-level: rendering would need more memory than one page may use (`RENDER_MEMORY_MB`): a
   * content-stream, inflate or image bomb. Permanent, refused on the first attempt. With
   * `budget`, refused before painting because the page went over that budget (its operators,
   * decoded content bytes, longest path or image pixels); without, its render process reached
   * the memory ceiling.
   */
  z.object({
    code: z.literal('too_complex'),
    page: pageIndex,
    limitBytes: count,
    budget: z.object({ name: z.enum(PAGE_BUDGET_NAMES), limit: count, found: count }).optional(),
    stage,
  }),
  /** Page-level: an unexpected error on the last attempt; `detail` is its message, shown as is. */
  z.object({ code: z.literal('processing_error'), detail: z.string(), stage }),
  /** A job whose data did not match its schema (never stored; a metrics reason). */
  z.object({ code: z.literal('invalid_job_data'), detail: z.string(), stage }),
  /**
   * A reason stored as text before this catalogue existed (or by a caller that has only text):
   * `storedCode` is the row's old `error_code`, `message` its text.
   */
  z.object({ code: z.literal('legacy'), storedCode: z.string().nullable(), message: z.string(), stage }),
] as const;

/** Why a training run of a custom model ended FAILED (stored on the run; the model keeps its serving version). */
const trainingFailures = [
  /** The model has no categories to learn (they were all removed after Train was accepted). */
  z.object({ code: z.literal('no_categories'), stage }),
  /** Of `images` annotated images read, no annotation matched a word the engine read. */
  z.object({ code: z.literal('no_usable_annotations'), images: count, stage }),
  /** The run failed on every attempt; `detail` is the last error's message, shown as is. */
  z.object({ code: z.literal('training_crashed'), detail: z.string(), attempts: count, stage }),
  /** A newer run of the same model replaced this one while both were queued. */
  z.object({ code: z.literal('training_superseded'), stage }),
] as const;

export const failureSchema = z.discriminatedUnion('code', [...documentFailures, ...urlFailures, ...storageUrlFailures, ...pipelineFailures, ...trainingFailures]);
export type Failure = z.infer<typeof failureSchema>;
export type FailureCode = Failure['code'];
/** The member of {@link Failure} with `code` C. */
export type FailureOf<C extends FailureCode> = Extract<Failure, { code: C }>;
export type DocumentFailure = FailureOf<(typeof DOCUMENT_FAILURE_CODES)[number]>;
export type UrlFailure = FailureOf<UrlFailureCode>;

/** Every code of the catalogue, for bounded metric labels and exhaustive tests. */
export const FAILURE_CODES = failureSchema.options.map((o) => o.shape.code.value) as readonly FailureCode[];

export function isDocumentFailure(f: Failure): f is DocumentFailure {
  return (DOCUMENT_FAILURE_CODES as readonly string[]).includes(f.code);
}

export function isUrlFailure(f: Failure): f is UrlFailure {
  return (URL_FAILURE_CODES as readonly string[]).includes(f.code);
}

/** The code a failure answers with, looking through `legacy` to the code stored with its text. */
export function effectiveCode(f: Failure): string {
  return f.code === 'legacy' ? (f.storedCode ?? 'legacy') : f.code;
}

/**
 * True when a FAILED file's failure refuses its input (a request still waiting on it answers
 * 4xx and discards it); false when the file failed because its pages did (each page says why).
 */
export function isFileRefusal(f: Failure): boolean {
  return effectiveCode(f) !== 'pages_failed';
}
