import { parsePageSpec, type MistralFileOcrRequest, type PageSpec } from '@folio/contracts';
import type { OcrResponseOptions } from '../../services/mistral-ocr.service.ts';
import { invalid } from './mistral.params.ts';

/** Checks the syntax of `pages` before any work starts; the page count is checked once known. */
export function parsePages(pages: unknown): PageSpec {
  const parsed = parsePageSpec(pages);
  if (!parsed.ok) throw invalid(['body', 'pages'], parsed.message);
  return parsed.spec;
}

/** The response options of an OCR request body. */
export function ocrOptions(body: MistralFileOcrRequest): Omit<OcrResponseOptions, 'pages'> {
  return {
    model: body.model,
    includeImageBase64: body.include_image_base64,
    imageLimit: body.image_limit,
    imageMinSize: body.image_min_size,
    documentAnnotationRequested: typeof body.document_annotation_prompt === 'string',
  };
}

/** Stops waiting for a result when the client hangs up (the file keeps going). */
export { abortOnClose } from '../../http/abort-on-close.ts';
