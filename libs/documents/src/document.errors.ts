/** Why a document was refused. Each maps to a 4xx in every API dialect. */
export type DocumentErrorCode =
  | 'unsupported_type'
  | 'empty'
  | 'corrupt'
  | 'encrypted'
  | 'too_many_pages'
  | 'too_many_pixels'
  | 'too_large'
  | 'type_mismatch';

/**
 * The one error this library throws for bad input. `message` is written for the person who
 * uploaded the file; `cause` keeps the parser's own error for logs.
 */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code: DocumentErrorCode;

  constructor(code: DocumentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a `DocumentError`, also across module copies (checks the shape, not the prototype). */
export function isDocumentError(err: unknown): err is DocumentError {
  return (
    err instanceof DocumentError ||
    (err instanceof Error && err.name === 'DocumentError' && typeof (err as { code?: unknown }).code === 'string')
  );
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const mpx = (pixels: number): string => `${(pixels / 1e6).toFixed(1)} megapixels`;

/** Factories, so every message for one code reads the same wherever it is raised. */
export const documentErrors = {
  empty: () => new DocumentError('empty', 'The document is empty (0 bytes).'),
  unsupportedType: (detail?: string) =>
    new DocumentError(
      'unsupported_type',
      `Unsupported document type${detail ? ` (${detail})` : ''}: send a PDF, PNG, JPEG or TIFF.`,
    ),
  typeMismatch: (declared: string, actual: string) =>
    new DocumentError(
      'type_mismatch',
      `The declared content type ${declared} does not match the content, which is ${actual}.`,
    ),
  corrupt: (type: string, cause?: unknown) =>
    new DocumentError('corrupt', `The ${type.toUpperCase()} document is damaged or truncated and cannot be read.`, {
      cause,
    }),
  encrypted: (cause?: unknown) =>
    new DocumentError('encrypted', 'The PDF is password-protected; remove the password and upload it again.', {
      cause,
    }),
  tooLarge: (bytes: number, max: number) =>
    new DocumentError('too_large', `The document is ${mib(bytes)}; the limit is ${mib(max)}.`),
  tooManyPages: (pages: number, max: number) =>
    new DocumentError('too_many_pages', `The document has ${pages} pages; the limit is ${max}.`),
  tooManyPixels: (page: number, width: number, height: number, max: number, cause?: unknown) =>
    new DocumentError(
      'too_many_pixels',
      `Page ${page + 1} is ${width}×${height} pixels (${mpx(width * height)}); the limit is ${mpx(max)} per page.`,
      { cause },
    ),
  pageTooLargeToRender: (page: number, widthPt: number, heightPt: number, minDpi: number, max: number) =>
    new DocumentError(
      'too_many_pixels',
      `Page ${page + 1} measures ${(widthPt / 72).toFixed(0)}×${(heightPt / 72).toFixed(0)} inches; even at ${minDpi} dpi ` +
        `it would exceed the limit of ${mpx(max)} per page.`,
    ),
};

/** A caller bug rather than bad input, hence a plain RangeError and not a DocumentError. */
export function pageOutOfRange(page: number, count: number): RangeError {
  return new RangeError(`Page index ${page} is out of range: the document has ${count} page(s), indexed from 0.`);
}
