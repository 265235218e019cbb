/**
 * Why a document was refused, as data: the code and the facts its message is written from.
 * The same shapes as the document members of libs/contracts' failure catalogue (this lib imports
 * no other), so the worker stores them as they are.
 */
export type DocumentRefusal =
  | { code: 'empty'; noPages?: boolean }
  | { code: 'unsupported_type'; detail?: string }
  | { code: 'type_mismatch'; declared: string; actual: string }
  | { code: 'corrupt'; format: string }
  | { code: 'encrypted' }
  | { code: 'too_large'; bytes: number; maxBytes: number }
  | { code: 'too_many_pages'; pageCount: number; maxPages: number }
  | { code: 'too_many_pixels'; page: number; maxPixels: number; width: number; height: number }
  | { code: 'too_many_pixels'; page: number; maxPixels: number; widthPt: number; heightPt: number; minDpi: number };

/** Why a document was refused. Each maps to a 4xx in every API dialect. */
export type DocumentErrorCode = DocumentRefusal['code'];

/**
 * The one error this library throws for bad input. `refusal` carries the code and its facts;
 * `message` is written from them for the person who uploaded the file; `cause` keeps the
 * parser's own error for logs.
 */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly refusal: DocumentRefusal;

  constructor(refusal: DocumentRefusal, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.refusal = refusal;
  }

  get code(): DocumentErrorCode {
    return this.refusal.code;
  }
}

/** True for a `DocumentError`, also across module copies (checks the shape, not the prototype). */
export function isDocumentError(err: unknown): err is DocumentError {
  return (
    err instanceof DocumentError ||
    (err instanceof Error && err.name === 'DocumentError' && typeof (err as { refusal?: { code?: unknown } }).refusal?.code === 'string')
  );
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const mpx = (pixels: number): string => `${(pixels / 1e6).toFixed(1)} megapixels`;

/** Factories, so every message for one code reads the same wherever it is raised. */
export const documentErrors = {
  empty: () => new DocumentError({ code: 'empty' }, 'The document is empty (0 bytes).'),
  noPages: () => new DocumentError({ code: 'empty', noPages: true }, 'The PDF has no pages.'),
  unsupportedType: (detail?: string) =>
    new DocumentError(
      detail === undefined ? { code: 'unsupported_type' } : { code: 'unsupported_type', detail },
      `Unsupported document type${detail ? ` (${detail})` : ''}: send a PDF, PNG, JPEG or TIFF.`,
    ),
  typeMismatch: (declared: string, actual: string) =>
    new DocumentError(
      { code: 'type_mismatch', declared, actual },
      `The declared content type ${declared} does not match the content, which is ${actual}.`,
    ),
  corrupt: (type: string, cause?: unknown) =>
    new DocumentError({ code: 'corrupt', format: type }, `The ${type.toUpperCase()} document is damaged or truncated and cannot be read.`, {
      cause,
    }),
  encrypted: (cause?: unknown) =>
    new DocumentError({ code: 'encrypted' }, 'The PDF is password-protected; remove the password and upload it again.', {
      cause,
    }),
  tooLarge: (bytes: number, max: number) =>
    new DocumentError({ code: 'too_large', bytes, maxBytes: max }, `The document is ${mib(bytes)}; the limit is ${mib(max)}.`),
  tooManyPages: (pages: number, max: number) =>
    new DocumentError({ code: 'too_many_pages', pageCount: pages, maxPages: max }, `The document has ${pages} pages; the limit is ${max}.`),
  tooManyPixels: (page: number, width: number, height: number, max: number, cause?: unknown) =>
    new DocumentError(
      { code: 'too_many_pixels', page, maxPixels: max, width, height },
      `Page ${page + 1} is ${width}×${height} pixels (${mpx(width * height)}); the limit is ${mpx(max)} per page.`,
      { cause },
    ),
  pageTooLargeToRender: (page: number, widthPt: number, heightPt: number, minDpi: number, max: number) =>
    new DocumentError(
      { code: 'too_many_pixels', page, maxPixels: max, widthPt, heightPt, minDpi },
      `Page ${page + 1} measures ${(widthPt / 72).toFixed(0)}×${(heightPt / 72).toFixed(0)} inches; even at ${minDpi} dpi ` +
        `it would exceed the limit of ${mpx(max)} per page.`,
    ),
};

/** A caller bug rather than bad input, hence a plain RangeError and not a DocumentError. */
export function pageOutOfRange(page: number, count: number): RangeError {
  return new RangeError(`Page index ${page} is out of range: the document has ${count} page(s), indexed from 0.`);
}
