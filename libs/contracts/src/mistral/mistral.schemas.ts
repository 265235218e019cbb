import { z } from 'zod';
import { fileProgressSchema } from '../progress/file-progress.ts';

/**
 * Response bodies of the Files + OCR dialect. Field names and required-ness follow the Nebul seed
 * and what `@mistralai/mistralai` 2.x parses (it rejects a file object without `object`,
 * `created_at`, `sample_type` or `source`, a retrieved file without `deleted`, and non-integer
 * page dimensions). Objects are loose: extra fields pass, as the SDK ignores them.
 */

export const mistralFileSchema = z.looseObject({
  id: z.string(),
  object: z.literal('file'),
  /** Size in bytes. */
  bytes: z.int().min(0),
  /** Unix seconds. */
  created_at: z.int(),
  filename: z.string(),
  purpose: z.string(),
  sample_type: z.string(),
  num_lines: z.int().nullable().optional(),
  mimetype: z.string().nullable().optional(),
  source: z.string(),
  /** sha256 of the content, hex. */
  signature: z.string().nullable().optional(),
  /** Unix seconds. */
  expires_at: z.int().nullable().optional(),
  visibility: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
  /** OCR state: `processing`, `complete` (the seed's example), `partial` or `failed`. */
  status: z.enum(['processing', 'complete', 'partial', 'failed']).optional(),
  /** Folio: where the file's OCR stands (retrieve only; the SDK ignores it). */
  processing: fileProgressSchema.optional(),
});
export type MistralFile = z.infer<typeof mistralFileSchema>;

export const mistralFileListSchema = z.looseObject({
  data: z.array(mistralFileSchema),
  object: z.literal('list'),
  total: z.int().min(0).nullable().optional(),
});
export type MistralFileList = z.infer<typeof mistralFileListSchema>;

export const mistralDeleteFileSchema = z.looseObject({
  id: z.string(),
  object: z.literal('file'),
  deleted: z.boolean(),
});
export type MistralDeleteFile = z.infer<typeof mistralDeleteFileSchema>;

export const mistralSignedUrlSchema = z.looseObject({ url: z.string() });
export type MistralSignedUrl = z.infer<typeof mistralSignedUrlSchema>;

export const mistralOcrImageSchema = z.looseObject({
  id: z.string(),
  top_left_x: z.int().nullable(),
  top_left_y: z.int().nullable(),
  bottom_right_x: z.int().nullable(),
  bottom_right_y: z.int().nullable(),
  /** `data:image/png;base64,...`, only when `include_image_base64` was true. */
  image_base64: z.string().nullable().optional(),
  dimensions: z.looseObject({ width: z.int(), height: z.int() }).optional(),
});
export type MistralOcrImage = z.infer<typeof mistralOcrImageSchema>;

export const mistralPageDimensionsSchema = z.looseObject({
  dpi: z.int(),
  height: z.int(),
  width: z.int(),
});

export const mistralOcrPageSchema = z.looseObject({
  /** Zero-based page index in the document. */
  index: z.int().min(0),
  markdown: z.string(),
  images: z.array(mistralOcrImageSchema),
  dimensions: mistralPageDimensionsSchema.nullable(),
});
export type MistralOcrPage = z.infer<typeof mistralOcrPageSchema>;

export const mistralTokenUsageSchema = z.looseObject({
  prompt_tokens: z.int().min(0),
  completion_tokens: z.int().min(0),
  total_tokens: z.int().min(0),
});

export const mistralOcrResponseSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string(),
  pages: z.array(mistralOcrPageSchema),
  usage_info: z.looseObject({
    pages_processed: z.int().min(0),
    doc_size_bytes: z.int().min(0).nullable().optional(),
    prompt_tokens: z.int().min(0).optional(),
    completion_tokens: z.int().min(0).optional(),
    total_tokens: z.int().min(0).optional(),
  }),
  usage: mistralTokenUsageSchema.optional(),
  /** A JSON string, never a parsed object (seed). */
  document_annotation: z.string().nullable().optional(),
});
export type MistralOcrResponse = z.infer<typeof mistralOcrResponseSchema>;

/** FastAPI validation item, as the SDK's `HTTPValidationError` parses it. */
export const mistralValidationItemSchema = z.looseObject({
  loc: z.array(z.union([z.string(), z.int()])),
  msg: z.string(),
  type: z.string(),
});

/** 422 body: FastAPI's `{ detail: [...] }`, which the SDK turns into `HTTPValidationError`. */
export const mistralValidationErrorSchema = z.looseObject({
  detail: z.array(mistralValidationItemSchema),
});

/** Every other error: Mistral's platform error object. */
export const mistralErrorSchema = z.looseObject({
  object: z.literal('error'),
  message: z.string(),
  type: z.string(),
  param: z.string().nullable(),
  code: z.string().nullable(),
});
export type MistralError = z.infer<typeof mistralErrorSchema>;
