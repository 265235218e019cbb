import type { DocumentType } from './document.types.ts';
import { documentErrors } from './document.errors.ts';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** PDF readers accept the header anywhere in the first KiB (some generators prepend junk). */
const PDF_HEADER_WINDOW = 1024;

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

function findPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF_MAGIC.length, PDF_HEADER_WINDOW);
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && startsWith(bytes, PDF_MAGIC, i)) return true;
  }
  return false;
}

/**
 * The document type from its magic bytes alone (never the file name or declared type).
 * TIFF covers classic and BigTIFF in both byte orders. `null` when none matches.
 */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | null {
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || // II*\0
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) || // MM\0*
    startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || // BigTIFF, little-endian
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])
  ) {
    return 'tiff';
  }
  if (findPdfHeader(bytes)) return 'pdf';
  return null;
}

/** The canonical MIME type of each document type. */
export const documentMimeTypes: Readonly<Record<DocumentType, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
};

const declaredAliases: Readonly<Record<string, DocumentType>> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'image/png': 'png',
  'image/x-png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/tiff': 'tiff',
  'image/tif': 'tiff',
  'image/x-tiff': 'tiff',
};

/** Content types that say nothing about the content: treated as if none had been sent. */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/binary']);

/** `image/PNG; charset=x` → `image/png`. */
function essence(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Checks a client's declared content type against the sniffed one and returns the sniffed
 * type. Missing or generic (`application/octet-stream`) declarations are accepted as
 * undeclared. Throws `DocumentError`:
 * - `unsupported_type` when the bytes are none of PDF/PNG/JPEG/TIFF;
 * - `type_mismatch` when the declaration names a different type (JPEG bytes sent as
 *   `application/pdf`, a PDF sent as `text/plain`).
 */
export function assertDeclaredType(declaredMime: string | null | undefined, sniffed: DocumentType | null): DocumentType {
  const declared = essence(declaredMime ?? '');
  if (sniffed === null) {
    throw documentErrors.unsupportedType(UNDECLARED.has(declared) ? undefined : `declared as ${declared}`);
  }
  if (UNDECLARED.has(declared)) return sniffed;
  if (declaredAliases[declared] !== sniffed) {
    throw documentErrors.typeMismatch(declared, documentMimeTypes[sniffed]);
  }
  return sniffed;
}
