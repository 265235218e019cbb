import type { OcrPage } from '@folio/ocr';

/**
 * What the Nanonets builders read. Field names and types follow the Prisma rows (File, Page,
 * Prediction), so a route fills a view by spreading rows and adding signed URLs:
 * `{ ...fileRow, originalUrl, pages: pageRows.map((p) => ({ ...p, predictions: p.predictions, imageUrl })) }`.
 */

/** A `Prediction` row (extra row fields are ignored). */
export interface NanonetsPredictionView {
  id: string;
  label: string;
  /** `field`, `table`, `line` or `word`; Nanonets knows `field` and `table`, the others answer as `field`. */
  type: string;
  /** Integer page pixels. */
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  score: number;
  ocrText: string;
  /** `Prediction.cells` JSON (Nanonets TableCell[]) or null. */
  cells: unknown;
  source: 'MODEL' | 'MODERATOR';
  /** False once a moderator removed or replaced it. */
  active: boolean;
  status?: string | null;
  validationStatus?: string | null;
  validationMessage?: string | null;
  labelId?: string | null;
}

export type NanonetsPageStatus = 'QUEUED' | 'RENDERED' | 'DONE' | 'FAILED';
export type NanonetsModerationState = 'UNMODERATED' | 'APPROVED' | 'REJECTED';
export type NanonetsFileStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETE' | 'PARTIAL' | 'FAILED';

/** A `Page` row plus its predictions and a signed URL of its image. */
export interface NanonetsPageView {
  /** `Page.id` = Nanonets page id. */
  id: string;
  /** Zero-based position in the file. */
  index: number;
  status: NanonetsPageStatus;
  /** Pixels of the page image the boxes refer to; null until rendered. */
  width: number | null;
  height: number | null;
  /** Degrees clockwise the page was turned to read it. */
  rotation: number;
  daySinceEpoch: number;
  moderationState: NanonetsModerationState;
  error: string | null;
  /** Storage key of the page image; names its entry in `signed_urls`. */
  imageKey?: string | null;
  /** Presigned GET URL of the page image. */
  imageUrl?: string | null;
  /** Every prediction row of the page, active or not, in reading order. */
  predictions?: readonly NanonetsPredictionView[];
  /**
   * The parsed canonical result (`parseOcrPage(row.result)`), used only when `predictions` is
   * absent: predictions are then derived with `predictionsFromPage`. Named apart from the row's
   * raw `result` JSON so a spread row still type-checks.
   */
  canonical?: OcrPage | null;
}

/** A `File` row with the fields the Nanonets answers use. */
export interface NanonetsFileSummary {
  /** `File.id` = request_file_id. */
  id: string;
  modelId: string | null;
  filename: string;
  status: NanonetsFileStatus;
  requestMetadata: string | null;
  processingType: 'SYNC' | 'ASYNC';
  createdAt: Date;
  /** Storage key of the original; names its entry in `signed_urls`. */
  storageKey: string | null;
  errorMessage: string | null;
  /** Presigned GET URL of the original. */
  originalUrl?: string | null;
}

/** A file with its pages (ascending index). */
export interface NanonetsFileView extends NanonetsFileSummary {
  pages: readonly NanonetsPageView[];
}

/** One page with the file it belongs to, for the by-page and day-window answers. */
export interface NanonetsPageItem {
  file: NanonetsFileSummary;
  page: NanonetsPageView;
}

/** A `TrainingRun` row. */
export interface NanonetsTrainingRunView {
  id: string;
  modelId: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  message: string | null;
  createdAt: Date;
}
