import { z } from 'zod';
import type { ReviewEvent, ReviewPageDetail, ReviewPageList, ReviewPageSummary, ReviewPrediction } from './review.responses.ts';
import { reviewStateSchema } from './review.requests.ts';

/**
 * zod schemas of the review API's answers, for the OpenAPI document and for tests of real
 * answers. The mappers in `review.responses.ts` build the answers; the type checks at the end of
 * this file fail to compile when a mapper and its schema stop describing the same shape.
 */

/** `Date.toISOString()` (UTC, milliseconds). */
const timestamp = z.string().meta({ format: 'date-time' });
/** Any JSON value but a missing one (audit snapshots, table cells); documented as `{}`. */
const present = z.custom<NonNullable<unknown>>((v) => v !== undefined && v !== null);

export const reviewPageSummarySchema = z.object({
  object: z.literal('review.page'),
  id: z.string(),
  file_id: z.string(),
  model_id: z.string().nullable(),
  filename: z.string(),
  page: z.int().min(0).describe('Zero-based page index in the file.'),
  status: z.string().describe('Processing status of the page: queued, rendered, done or failed.'),
  width: z.int().nullable().describe('Page image width, px (null before render).'),
  height: z.int().nullable().describe('Page image height, px (null before render).'),
  rotation: z.number(),
  day_since_epoch: z.int().describe('UTC days since 1970-01-01 of the upload.'),
  moderation_state: reviewStateSchema,
  min_confidence: z.number().nullable().describe('Lowest score of the page`s standing boxes (null: no boxes).'),
  min_field_score: z.number().nullable().describe('Lowest score of the page`s fields: standing boxes labelled with a category of its model (null: none). The queue sorts on it first.'),
  min_word_score: z.number().nullable().describe('Lowest confidence of the page`s OCR words (null: none read). The queue sorts on it after fields.'),
  created_at: timestamp,
  completed_at: timestamp.nullable(),
});

export const reviewPageListSchema = z.object({
  object: z.literal('list'),
  data: z.array(reviewPageSummarySchema),
  next_cursor: z.string().nullable().describe('Pass back as `cursor` for the next slice; null on the last one.'),
  total: z.int().min(0).describe('Pages matching the filters in all.'),
});

export const reviewPredictionSchema = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  xmin: z.int(),
  ymin: z.int(),
  xmax: z.int(),
  ymax: z.int(),
  score: z.number().min(0).max(1),
  ocr_text: z.string(),
  source: z.enum(['model', 'moderator']),
  active: z.boolean().describe('False once a moderator replaced or removed the box.'),
  order: z.int().describe('Position in reading order.'),
  cells: present.optional().describe('Table cells, for table boxes only.'),
});

export const reviewEventSchema = z.object({
  id: z.string(),
  action: z.string().describe('create, update, delete, approve, reject, reset or revert.'),
  actor: z.string().describe('Id of the API key that acted.'),
  prediction_id: z.string().nullable(),
  before: present.nullable().describe('The box or state before (null for create).'),
  after: present.nullable().describe('The box or state after (null for delete).'),
  created_at: timestamp,
});

export const reviewWordSchema = z.object({
  text: z.string(),
  xmin: z.int(),
  ymin: z.int(),
  xmax: z.int(),
  ymax: z.int(),
  score: z.number().min(0).max(1),
  line: z.int().min(0).describe('Reading-order line number on the page.'),
});

export const reviewPageDetailSchema = reviewPageSummarySchema.extend({
  categories: z.array(z.string()).describe('Categories of the page`s model: a `field` box must carry one of them (empty for full-text models).'),
  words: z.array(reviewWordSchema).describe('OCR words of the page in reading order, in page pixels: select them to add a field.'),
  image_url: z.string().nullable().describe('Presigned GET URL of the page image, valid one hour (null before render).'),
  image_path: z.string().describe('API path of the page image (Bearer); add `?overlay=1` for the boxes drawn in.'),
  predictions: z.array(reviewPredictionSchema).describe('Standing boxes in reading order.'),
  events: z.array(reviewEventSchema).describe('Audit trail, oldest first.'),
});

export const reviewModelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string().describe('ocr or extraction.') })),
});
/** `GET /v1/review/models`. */
export type ReviewModelList = z.output<typeof reviewModelListSchema>;

// Compile-time drift checks: each mapper's answer and its schema accept exactly the same values.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type ReviewSchemasMatchMappers = [
  Assert<Same<ReviewPageSummary, z.output<typeof reviewPageSummarySchema>>>,
  Assert<Same<ReviewPageList, z.output<typeof reviewPageListSchema>>>,
  Assert<Same<ReviewPrediction, z.output<typeof reviewPredictionSchema>>>,
  Assert<Same<ReviewEvent, z.output<typeof reviewEventSchema>>>,
  Assert<Same<ReviewPageDetail, z.output<typeof reviewPageDetailSchema>>>,
];
