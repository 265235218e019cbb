import type { DocumentSource } from './document.types.ts';
import { resolveLimits, type DocumentLimitsInput } from './document.limits.ts';
import { documentErrors } from './document.errors.ts';
import { sniffDocumentType } from './document.sniff.ts';
import { openImage } from './image.source.ts';
import { openPdf } from './pdf.source.ts';

/**
 * Opens uploaded bytes as a paged document. The type comes from the bytes (see
 * `sniffDocumentType`); limits default as documented on `documentLimitsSchema`.
 * Page count and the first image page's declared size are checked here, so a bad upload
 * fails before any page is rendered. The document reads `bytes` while it is open (image pages
 * decode from them, a PDF's renderer opens from them): do not change them before `close`.
 *
 * Throws `DocumentError`: `empty`, `too_large`, `unsupported_type`, `corrupt`, `encrypted`,
 * `too_many_pages`, `too_many_pixels`.
 */
export async function openDocument(bytes: Uint8Array, limits?: DocumentLimitsInput): Promise<DocumentSource> {
  const resolved = resolveLimits(limits);
  if (bytes.length === 0) throw documentErrors.empty();
  if (bytes.length > resolved.maxBytes) throw documentErrors.tooLarge(bytes.length, resolved.maxBytes);
  const type = sniffDocumentType(bytes);
  if (type === null) throw documentErrors.unsupportedType();
  return type === 'pdf' ? openPdf(bytes, resolved) : openImage(bytes, type, resolved);
}
