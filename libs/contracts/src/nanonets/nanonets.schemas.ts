import { z } from 'zod';

/**
 * Response bodies of the Nanonets v2 dialect, field names exactly as the seed's components
 * (PredictionResponse, Prediction, TableCell, AsyncAcceptedResponse, ModeratedFileResponse).
 * Objects are loose: Folio adds a few fields real Nanonets answers carry (filepath, rotation,
 * file_url, original_file_name, moderated_boxes...).
 */

export const nanonetsTableCellSchema = z.looseObject({
  id: z.string(),
  /** 1-based. */
  row: z.int().min(1),
  /** 1-based. */
  col: z.int().min(1),
  label: z.string(),
  xmin: z.number(),
  ymin: z.number(),
  xmax: z.number(),
  ymax: z.number(),
  score: z.number(),
  text: z.string(),
  verification_status: z.string().optional(),
  status: z.string().optional(),
  failed_validation: z.string().optional(),
  label_id: z.string().optional(),
});
export type NanonetsTableCell = z.infer<typeof nanonetsTableCellSchema>;

export const nanonetsPredictionSchema = z.looseObject({
  id: z.string(),
  label: z.string(),
  xmin: z.number(),
  ymin: z.number(),
  xmax: z.number(),
  ymax: z.number(),
  score: z.number().min(0).max(1),
  ocr_text: z.string(),
  type: z.enum(['field', 'table']),
  status: z.string(),
  validation_status: z.literal('failed').optional(),
  validation_message: z.string().optional(),
  /** Zero-based page index. */
  page_no: z.int().min(0),
  label_id: z.string().optional(),
  cells: z.array(nanonetsTableCellSchema).optional(),
});
export type NanonetsPrediction = z.infer<typeof nanonetsPredictionSchema>;

export const nanonetsSignedUrlsSchema = z.record(z.string(), z.record(z.string(), z.string()));

export const nanonetsPredictionPageSchema = z.looseObject({
  message: z.string(),
  /** Uploaded filename (or URL). */
  input: z.string(),
  prediction: z.array(nanonetsPredictionSchema),
  /** Zero-based page index. */
  page: z.int().min(0),
  request_file_id: z.string(),
  id: z.string(),
  request_metadata: z.string(),
  /** `''` for sync, `async` for async (seed enum). */
  processing_type: z.enum(['', 'async']),
  size: z.looseObject({ width: z.number(), height: z.number() }),
});
export type NanonetsPredictionPage = z.infer<typeof nanonetsPredictionPageSchema>;

export const nanonetsPredictionResponseSchema = z.looseObject({
  message: z.string(),
  result: z.array(nanonetsPredictionPageSchema),
  signed_urls: nanonetsSignedUrlsSchema,
});
export type NanonetsPredictionResponse = z.infer<typeof nanonetsPredictionResponseSchema>;

export const nanonetsAsyncAcceptedSchema = z.looseObject({
  message: z.string(),
  result: z.array(
    z.looseObject({
      message: z.string(),
      request_file_id: z.string(),
      filepath: z.string(),
      status: z.string(),
    }),
  ),
});
export type NanonetsAsyncAccepted = z.infer<typeof nanonetsAsyncAcceptedSchema>;

export const nanonetsModeratedPageSchema = z.looseObject({
  model_id: z.string(),
  day_since_epoch: z.int(),
  is_moderated: z.boolean(),
  id: z.string(),
  url: z.url().optional(),
  /** What the model predicted (including boxes a moderator later removed or replaced). */
  predicted_boxes: z.array(nanonetsPredictionSchema),
  /** Folio extension: the final boxes after moderation (the model's where nobody moderated). */
  moderated_boxes: z.array(nanonetsPredictionSchema).optional(),
});
export type NanonetsModeratedPage = z.infer<typeof nanonetsModeratedPageSchema>;

export const nanonetsModeratedFileResponseSchema = z.looseObject({
  moderated_images_count: z.int().min(0),
  unmoderated_images_count: z.int().min(0),
  moderated_images: z.array(nanonetsModeratedPageSchema),
  unmoderated_images: z.array(nanonetsModeratedPageSchema),
  signed_urls: nanonetsSignedUrlsSchema,
});
export type NanonetsModeratedFileResponse = z.infer<typeof nanonetsModeratedFileResponseSchema>;

/** Nanonets error body (the seed has none; this is Folio's, led by `message` like every answer). */
export const nanonetsErrorSchema = z.looseObject({
  message: z.string(),
  /** HTTP status. */
  code: z.int(),
  /** Machine code, e.g. `not_found`. */
  error: z.string(),
  reason: z.string().optional(),
});
export type NanonetsError = z.infer<typeof nanonetsErrorSchema>;

/** UploadFile / UploadUrls answer: the images stored and the annotation totals per category. */
export const nanonetsUploadResponseSchema = z.looseObject({
  message: z.string(),
  model_id: z.string(),
  total_images: z.int().min(0),
  categories: z.array(z.looseObject({ name: z.string(), count: z.int().min(0) })),
  images: z.array(z.looseObject({ id: z.string(), filename: z.string() })),
});
export type NanonetsUploadResponse = z.infer<typeof nanonetsUploadResponseSchema>;

/** Train answer: the recorded run and, plainly, that no trainer runs yet. */
export const nanonetsTrainResponseSchema = z.looseObject({
  message: z.string(),
  model_id: z.string(),
  training_run_id: z.string(),
  state: z.string(),
  trained: z.boolean(),
  created_at: z.string(),
});
export type NanonetsTrainResponse = z.infer<typeof nanonetsTrainResponseSchema>;
