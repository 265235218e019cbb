import type { OcrPage } from '@folio/ocr';
import { pageToMarkdown } from '../common/page.markdown.ts';
import type { MistralOcrImage, MistralOcrPage, MistralOcrResponse } from './mistral.schemas.ts';

/** Model name reported when the request named none. */
export const MISTRAL_DEFAULT_MODEL = 'folio-ocr';

/** The rendered page image, for `include_image_base64`. */
export interface MistralPageImage {
  /** `data:image/png;base64,...` (or jpeg). */
  dataUrl: string;
  /** Pixel size of that image. */
  width: number;
  height: number;
}

/** One processed page: its zero-based index in the document and its canonical result. */
export interface MistralOcrPageView {
  index: number;
  /** Null for a page that failed: it is answered with empty markdown and null dimensions. */
  result: OcrPage | null;
  image?: MistralPageImage | null;
}

export interface MistralOcrResponseInput {
  /** Request id, e.g. `ocr-<file id>`. */
  id: string;
  /** As requested; `MISTRAL_DEFAULT_MODEL` when null. */
  model?: string | null;
  pages: readonly MistralOcrPageView[];
  /** Size of the source document in bytes. */
  docSizeBytes: number;
  includeImageBase64?: boolean | null;
  /** Most images across the document; null = no limit. */
  imageLimit?: number | null;
  /** Smallest width and height of a returned image, in pixels. */
  imageMinSize?: number | null;
  /** A JSON string; only when the caller produced one. */
  documentAnnotation?: string | null;
}

/**
 * The OCR response shared by `/v1/ocr` and `/v1/files/{file_id}/ocr`. Each page's `images` holds
 * the whole page image (Folio does not crop figures) when `include_image_base64` is true, within
 * `image_limit` and `image_min_size`. Token counts are zero: no language model runs.
 */
export function mistralOcrResponse(input: MistralOcrResponseInput): MistralOcrResponse {
  let imagesLeft = input.imageLimit ?? Number.POSITIVE_INFINITY;
  const minSize = input.imageMinSize ?? 0;
  const pages: MistralOcrPage[] = [...input.pages]
    .sort((a, b) => a.index - b.index)
    .map(({ index, result, image }) => {
      const images: MistralOcrImage[] = [];
      if (input.includeImageBase64 && image && imagesLeft > 0 && Math.min(image.width, image.height) >= minSize) {
        imagesLeft -= 1;
        const width = Math.round(image.width);
        const height = Math.round(image.height);
        images.push({
          id: `page-${index}.${image.dataUrl.startsWith('data:image/jpeg') ? 'jpeg' : 'png'}`,
          top_left_x: 0,
          top_left_y: 0,
          bottom_right_x: width,
          bottom_right_y: height,
          image_base64: image.dataUrl,
          dimensions: { width, height },
        });
      }
      return {
        index,
        markdown: result ? pageToMarkdown(result) : '',
        images,
        dimensions: result
          ? { dpi: Math.round(result.dpi), height: Math.round(result.height), width: Math.round(result.width) }
          : null,
      };
    });
  const tokens = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  return {
    id: input.id,
    model: input.model ?? MISTRAL_DEFAULT_MODEL,
    pages,
    usage_info: {
      pages_processed: input.pages.filter((p) => p.result !== null).length,
      doc_size_bytes: input.docSizeBytes,
      ...tokens,
    },
    usage: tokens,
    ...(input.documentAnnotation === undefined ? {} : { document_annotation: input.documentAnnotation }),
  };
}
