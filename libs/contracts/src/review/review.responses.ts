import type { ReviewState } from './review.requests.ts';
import type { NanonetsModerationState, NanonetsPredictionView } from '../nanonets/nanonets.views.ts';

/**
 * Answers of the review API, snake_case like the other JSON dialects. The views are structural
 * (field names of the Prisma rows) so the API fills them by passing rows.
 */

type State = NanonetsModerationState;

export interface ReviewPageRowView {
  id: string;
  fileId: string;
  modelId: string | null;
  index: number;
  status: string;
  width: number | null;
  height: number | null;
  rotation: number;
  daySinceEpoch: number;
  moderationState: State;
  minConfidence: number | null;
  minWordScore: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** A `Prediction` row as the review views read it: the Nanonets view's fields and the reading order. */
export type ReviewPredictionRowView = Omit<NanonetsPredictionView, 'status' | 'validationStatus' | 'validationMessage' | 'labelId'> & { order: number };

export interface ReviewEventRowView {
  id: string;
  predictionId: string | null;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

export const reviewState = (s: State): ReviewState => s.toLowerCase() as ReviewState;
export const modelState = (s: ReviewState): State => s.toUpperCase() as State;

/**
 * One entry of the review queue. `fieldScore`: the lowest score of the page's boxes labelled with
 * a category of its model (null: no fields).
 */
export function reviewPageSummary(page: ReviewPageRowView, filename: string, fieldScore: number | null) {
  return {
    object: 'review.page' as const,
    id: page.id,
    file_id: page.fileId,
    model_id: page.modelId,
    filename,
    /** Zero-based page index in the file. */
    page: page.index,
    status: page.status.toLowerCase(),
    width: page.width,
    height: page.height,
    rotation: page.rotation,
    day_since_epoch: page.daySinceEpoch,
    moderation_state: reviewState(page.moderationState),
    min_confidence: page.minConfidence,
    min_field_score: fieldScore,
    min_word_score: page.minWordScore,
    created_at: page.createdAt.toISOString(),
    completed_at: page.completedAt?.toISOString() ?? null,
  };
}
export type ReviewPageSummary = ReturnType<typeof reviewPageSummary>;

/** A box in page pixels; `source` says whether the engine or a moderator produced it. */
export function reviewPrediction(p: ReviewPredictionRowView) {
  return {
    id: p.id,
    label: p.label,
    type: p.type,
    xmin: p.xmin,
    ymin: p.ymin,
    xmax: p.xmax,
    ymax: p.ymax,
    score: p.score,
    ocr_text: p.ocrText,
    source: p.source === 'MODERATOR' ? ('moderator' as const) : ('model' as const),
    active: p.active,
    order: p.order,
    ...(p.cells !== null && p.cells !== undefined ? { cells: p.cells } : {}),
  };
}
export type ReviewPrediction = ReturnType<typeof reviewPrediction>;

/** One audit entry: `actor` is the API key id that acted. */
export function reviewEvent(e: ReviewEventRowView) {
  return {
    id: e.id,
    action: e.action,
    actor: e.actor,
    prediction_id: e.predictionId,
    before: e.before ?? null,
    after: e.after ?? null,
    created_at: e.createdAt.toISOString(),
  };
}
export type ReviewEvent = ReturnType<typeof reviewEvent>;

/** An OCR word of the page, in page pixels: what a reviewer selects to add a field. */
export interface ReviewWordView {
  text: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  score: number;
  /** Reading-order line number on the page. */
  line: number;
}

export interface ReviewPageDetailInput {
  page: ReviewPageRowView;
  filename: string;
  /** Categories of the page's model (empty for full-text models and pages of no model). */
  categories: readonly string[];
  fieldScore: number | null;
  words: readonly ReviewWordView[];
  /** Presigned GET URL of the page image (null before render). */
  imageUrl: string | null;
  /** API path of the page image (Bearer); add `?overlay=1` for the boxes drawn in. */
  imagePath: string;
  /** Active boxes in reading order. */
  predictions: readonly ReviewPredictionRowView[];
  events: readonly ReviewEventRowView[];
}

/** `GET /v1/review/pages/{page_id}`: the page, its standing boxes, its image and its audit trail. */
export function reviewPageDetail(input: ReviewPageDetailInput) {
  return {
    ...reviewPageSummary(input.page, input.filename, input.fieldScore),
    categories: [...input.categories],
    words: input.words.map((w) => ({ ...w })),
    image_url: input.imageUrl,
    image_path: input.imagePath,
    predictions: input.predictions.map(reviewPrediction),
    events: input.events.map(reviewEvent),
  };
}
export type ReviewPageDetail = ReturnType<typeof reviewPageDetail>;

/** `GET /v1/review/pages`: one slice of the queue; pass `next_cursor` back as `cursor` for the next. */
export interface ReviewPageList {
  object: 'list';
  data: ReviewPageSummary[];
  /** Null on the last slice. */
  next_cursor: string | null;
  /** Pages matching the filters in all. */
  total: number;
}
