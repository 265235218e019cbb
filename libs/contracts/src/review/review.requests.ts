import { z } from 'zod';
import { booleanish, integerish, numberish } from '../common/query.ts';

/**
 * Requests of the back-office review API (`/v1/review/...`, Bearer). Ids are checked for shape
 * here so a malformed one is a 400 naming the field; a well-formed unknown id is a 404.
 */

const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = (name: string) => z.string().regex(ID_SHAPE, `${name} must be a UUID.`);

/** Review queue page sizes. @defaultValue 50 */
export const REVIEW_PAGE_SIZE = { min: 1, max: 200, default: 50 } as const;
/** Longest `ocr_text` a moderator may store, characters. */
export const REVIEW_MAX_TEXT = 10_000;
/** Longest `label`, characters. */
export const REVIEW_MAX_LABEL = 200;

/** Moderation states as the review API spells them; `all` in a filter means any. */
export const reviewStateSchema = z.enum(['unmoderated', 'approved', 'rejected']);
export type ReviewState = z.infer<typeof reviewStateSchema>;

export const reviewPageParamsSchema = z.object({ page_id: id('page_id') });
export const reviewPredictionParamsSchema = z.object({ page_id: id('page_id'), prediction_id: id('prediction_id') });

/**
 * `GET /v1/review/pages`: the review queue, every recognized page of the organization grouped by
 * document, lowest field score first, then lowest word score.
 */
export const reviewListQuerySchema = z.strictObject({
  /** Only pages of this model. @defaultValue pages of every model and of none (Files + OCR, NIM, docTR) */
  model_id: id('model_id').optional(),
  /** @defaultValue unmoderated */
  state: z.enum(['unmoderated', 'approved', 'rejected', 'all']).default('unmoderated'),
  /** Inclusive window of `day_since_epoch` (UTC days since 1970-01-01). */
  from_day: integerish(0, 1_000_000).optional(),
  to_day: integerish(0, 1_000_000).optional(),
  /** Only pages whose lowest box score is at most this. */
  max_confidence: numberish(0, 1).optional(),
  limit: integerish(REVIEW_PAGE_SIZE.min, REVIEW_PAGE_SIZE.max).default(REVIEW_PAGE_SIZE.default),
  /** `next_cursor` of the previous answer. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ReviewListQuery = z.output<typeof reviewListQuerySchema>;

/** `GET .../image`: `overlay=1` draws the boxes over the page. */
export const reviewImageQuerySchema = z.object({ overlay: booleanish().default(false) });

const coordinate = (name: string) =>
  z.int(`${name} must be an integer number of pixels.`).min(0, `${name} must not be negative.`).max(1_000_000, `${name} is too large.`);
const text = z.string().max(REVIEW_MAX_TEXT, `ocr_text is longer than ${REVIEW_MAX_TEXT} characters.`);
const label = z.string().trim().min(1, 'label must not be empty.').max(REVIEW_MAX_LABEL);
const score = z.number().min(0, 'score must be between 0 and 1.').max(1, 'score must be between 0 and 1.');

/**
 * `POST /v1/review/pages/{page_id}/predictions`: a box a moderator adds. `score` defaults to 1
 * (a person drew it). Unknown keys are refused so a typo (`text` for `ocr_text`) is not lost.
 */
export const reviewPredictionCreateSchema = z.strictObject({
  label: label.default('text'),
  type: z.enum(['field', 'line', 'word']).default('field'),
  xmin: coordinate('xmin'),
  ymin: coordinate('ymin'),
  xmax: coordinate('xmax'),
  ymax: coordinate('ymax'),
  ocr_text: text.default(''),
  score: score.default(1),
});
export type ReviewPredictionCreate = z.output<typeof reviewPredictionCreateSchema>;

export const REVIEW_PATCH_FIELDS = ['label', 'ocr_text', 'xmin', 'ymin', 'xmax', 'ymax', 'score'] as const;

/**
 * `PATCH /v1/review/pages/{page_id}/predictions/{prediction_id}`: new text, label or box edges
 * (at least one). The merged box is checked against the page. `score` defaults to 1 on an edit:
 * a person looked at the box.
 */
export const reviewPredictionPatchSchema = z
  .strictObject({
    label: label.optional(),
    ocr_text: text.optional(),
    xmin: coordinate('xmin').optional(),
    ymin: coordinate('ymin').optional(),
    xmax: coordinate('xmax').optional(),
    ymax: coordinate('ymax').optional(),
    score: score.optional(),
  })
  .refine((p) => REVIEW_PATCH_FIELDS.some((k) => p[k] !== undefined), {
    message: `Give at least one of ${REVIEW_PATCH_FIELDS.join(', ')}.`,
  });
export type ReviewPredictionPatch = z.output<typeof reviewPredictionPatchSchema>;

/** Where the queue continues: the sort keys of the last page seen (see the db's ReviewCursor). */
export interface ReviewCursorValue {
  docField: number;
  docWord: number;
  fileId: string;
  field: number;
  word: number;
  index: number;
}

const cursorSchema = z.tuple([z.number(), z.number(), z.string().regex(ID_SHAPE), z.number(), z.number(), z.int().min(0)]);

/** Opaque `next_cursor` (base64url JSON). */
export function encodeReviewCursor(c: ReviewCursorValue): string {
  return Buffer.from(JSON.stringify([c.docField, c.docWord, c.fileId, c.field, c.word, c.index])).toString('base64url');
}

/** The cursor `encodeReviewCursor` made, or null for anything else. */
export function decodeReviewCursor(value: string): ReviewCursorValue | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const [docField, docWord, fileId, field, word, index] = parsed.data;
    return { docField, docWord, fileId, field, word, index };
  } catch {
    return null;
  }
}
