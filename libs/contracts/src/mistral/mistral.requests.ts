import { z } from 'zod';
import { booleanish, integerish, listish } from '../common/query.ts';

/** Multipart field carrying the document in `POST /v1/files`. */
export const MISTRAL_FILE_FIELD = 'file';
/** Most entries a `pages` list may have (seed). */
export const MISTRAL_MAX_PAGE_LIST = 1000;
/** Signed URL lifetime bounds in hours (SDK: default 24, 1..168). */
export const MISTRAL_SIGNED_URL_EXPIRY = { min: 1, max: 168, default: 24 } as const;
/** `GET /v1/files` page size bounds. @defaultValue 100 */
export const MISTRAL_LIST_PAGE_SIZE = { min: 1, max: 1000, default: 100 } as const;

// The SDK may send `null` for "not set"; multipart turns it into the string "null".
const unset = (v: unknown) => (v === 'null' || v === '' ? undefined : v);

/** Text fields of the `POST /v1/files` multipart body (the `file` part is streamed separately). */
export const mistralUploadFieldsSchema = z.object({
  purpose: z.literal('ocr', { error: 'purpose is required and must be "ocr".' }),
  /** Sent by the SDK; hours until the file expires. */
  expiry: z.preprocess(unset, integerish(1, 24 * 365).nullable().optional()),
  /** Sent by the SDK (default `workspace`); accepted and echoed, files are per organization anyway. */
  visibility: z.preprocess(unset, z.enum(['workspace', 'user']).optional()),
});
export type MistralUploadFields = z.output<typeof mistralUploadFieldsSchema>;

/** Path of every `/v1/files/{file_id}...` route. */
export const mistralFileParamsSchema = z.object({ file_id: z.string().min(1) });

/** Query of `GET /v1/files` as the SDK sends it (`page`, `page_size`, `include_total`, filters). */
export const mistralListFilesQuerySchema = z.object({
  page: integerish(0).default(0),
  page_size: integerish(MISTRAL_LIST_PAGE_SIZE.min, MISTRAL_LIST_PAGE_SIZE.max).default(MISTRAL_LIST_PAGE_SIZE.default),
  include_total: booleanish().default(true),
  sample_type: listish(z.string()).optional(),
  source: listish(z.string()).optional(),
  search: z.string().optional(),
  purpose: z.string().optional(),
  mimetypes: listish(z.string()).optional(),
});
export type MistralListFilesQuery = z.output<typeof mistralListFilesQuerySchema>;

/** Query of `GET /v1/files/{file_id}/url`: `expiry` in hours, 1..168, default 24. */
export const mistralSignedUrlQuerySchema = z.object({
  expiry: integerish(MISTRAL_SIGNED_URL_EXPIRY.min, MISTRAL_SIGNED_URL_EXPIRY.max).default(MISTRAL_SIGNED_URL_EXPIRY.default),
});
export type MistralSignedUrlQuery = z.output<typeof mistralSignedUrlQuerySchema>;

/**
 * `pages`: one index, a string of indexes and ranges (`"0-2"`, `"0,2-4"`), or a list of at most
 * 1000 indexes; all zero-based and non-negative. Checked against the page count by
 * `parsePageSelection`.
 */
export const mistralPagesSchema = z.union([
  z.int().min(0, 'Page indexes are zero-based and must be non-negative.'),
  z.string().min(1, 'pages must not be empty.'),
  z
    .array(z.int().min(0, 'Page indexes are zero-based and must be non-negative.'))
    .min(1, 'pages must not be empty.')
    .max(MISTRAL_MAX_PAGE_LIST, `A pages list cannot exceed ${MISTRAL_MAX_PAGE_LIST} items.`),
]);

const urlString = z
  .string()
  .min(1)
  .refine((u) => /^(https?:\/\/|data:)/i.test(u), 'Must be an http(s) URL or a data: URI.');

/**
 * The five document shapes: the SDK's `document_url`, `image_url` and `file`, and the seed's
 * `content` and `file_id`.
 */
export const mistralDocumentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('document_url'), document_url: urlString, document_name: z.string().nullable().optional() }),
  z.object({
    type: z.literal('image_url'),
    image_url: z.union([urlString, z.object({ url: urlString, detail: z.string().nullable().optional() })]),
  }),
  z.object({ type: z.literal('file'), file_id: z.string().min(1) }),
  z.object({ type: z.literal('file_id'), file_id: z.string().min(1), org_id: z.string().nullable().optional() }),
  z.object({
    type: z.literal('content'),
    document_content: z.string().min(1).refine((u) => u.startsWith('data:'), 'Must be a data: URI.'),
  }),
]);
export type MistralDocument = z.output<typeof mistralDocumentSchema>;

/** Deepest nesting accepted in the annotation-format objects (a JSON schema needs a few levels). */
export const ANNOTATION_FORMAT_MAX_DEPTH = 32;

/** Nesting depth of a parsed JSON value, counted without recursion (so a hostile one cannot overflow the stack). */
function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > ANNOTATION_FORMAT_MAX_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * An annotation format (a response-format JSON schema in Mistral's API): accepted so newer SDKs
 * validate, unused by Folio's engine, and bounded so it cannot be a nesting bomb.
 */
const annotationFormat = z
  .unknown()
  .refine((v) => jsonDepth(v) <= ANNOTATION_FORMAT_MAX_DEPTH, `Must be nested at most ${ANNOTATION_FORMAT_MAX_DEPTH} levels deep.`)
  .optional();

/** Options shared by `POST /v1/ocr` and `POST /v1/files/{file_id}/ocr` (seed `FileOCROptions`). */
export const mistralOcrOptionsShape = {
  model: z.string().nullable().optional(),
  pages: mistralPagesSchema.nullable().optional(),
  include_image_base64: z.boolean().nullable().optional(),
  /** Most images returned across the document. */
  image_limit: z.int().min(0).nullable().optional(),
  /** Smallest width and height, in pixels, of an image to return. */
  image_min_size: z.int().min(0).nullable().optional(),
  prompt: z.string().nullable().optional(),
  document_annotation_prompt: z.string().nullable().optional(),
  skip_special_tokens: z.boolean().nullable().optional(),
  // Sent by newer SDKs; accepted so their requests validate. Folio's engine does not use them.
  bbox_annotation_format: annotationFormat,
  document_annotation_format: annotationFormat,
  table_format: z.enum(['markdown', 'html']).nullable().optional(),
  extract_header: z.boolean().optional(),
  extract_footer: z.boolean().optional(),
  include_blocks: z.boolean().optional(),
  confidence_scores_granularity: z.enum(['word', 'page', 'block']).nullable().optional(),
  /**
   * Folio: OCR every page even where the PDF's text layer can be trusted (default false: such
   * pages are read from their text). On `POST /v1/files/{id}/ocr` a file read without it is read again.
   */
  force_ocr: z.boolean().nullable().optional(),
};

/** Body of `POST /v1/files/{file_id}/ocr`. */
export const mistralFileOcrRequestSchema = z.object(mistralOcrOptionsShape);
export type MistralFileOcrRequest = z.output<typeof mistralFileOcrRequestSchema>;

/** Body of `POST /v1/ocr` (MistralOCRRequest). */
export const mistralOcrRequestSchema = z.object({ ...mistralOcrOptionsShape, document: mistralDocumentSchema });
export type MistralOcrRequest = z.output<typeof mistralOcrRequestSchema>;

/** Where the document of an OCR request comes from, once the five shapes are folded together. */
export type MistralDocumentSource =
  | { kind: 'url'; url: string; name?: string }
  | { kind: 'data'; dataUrl: string }
  | { kind: 'file'; fileId: string; orgId?: string };

/** Folds the five document shapes into url / data / file. */
export function mistralDocumentSource(document: MistralDocument): MistralDocumentSource {
  const fromUrl = (url: string, name?: string | null): MistralDocumentSource =>
    url.toLowerCase().startsWith('data:') ? { kind: 'data', dataUrl: url } : { kind: 'url', url, ...(name ? { name } : {}) };
  switch (document.type) {
    case 'document_url':
      return fromUrl(document.document_url, document.document_name);
    case 'image_url':
      return fromUrl(typeof document.image_url === 'string' ? document.image_url : document.image_url.url);
    case 'content':
      return { kind: 'data', dataUrl: document.document_content };
    case 'file':
      return { kind: 'file', fileId: document.file_id };
    case 'file_id':
      return { kind: 'file', fileId: document.file_id, ...(document.org_id ? { orgId: document.org_id } : {}) };
  }
}
