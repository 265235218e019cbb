import { z } from 'zod';
import { predictionsFromPage } from './nanonets.predictions.ts';
import type {
  NanonetsAsyncAccepted,
  NanonetsModeratedFileResponse,
  NanonetsModeratedPage,
  NanonetsPrediction,
  NanonetsPredictionPage,
  NanonetsPredictionResponse,
  NanonetsTableCell,
} from './nanonets.schemas.ts';
import type {
  NanonetsFileSummary,
  NanonetsFileView,
  NanonetsPageItem,
  NanonetsPageView,
  NanonetsPredictionView,
} from './nanonets.views.ts';

// Cells are JSON in the database; rows written by hand or by older code may lack ids or fields.
const storedCellSchema = z.looseObject({
  id: z.string().optional(),
  row: z.number(),
  col: z.number(),
  label: z.string().default(''),
  xmin: z.number(),
  ymin: z.number(),
  xmax: z.number(),
  ymax: z.number(),
  score: z.number().default(0),
  text: z.string().default(''),
});

/** `Prediction.cells` JSON as Nanonets TableCells (ids made from the prediction's when missing). */
export function nanonetsCells(predictionId: string, cells: unknown): NanonetsTableCell[] | undefined {
  if (cells === null || cells === undefined) return undefined;
  const parsed = z.array(storedCellSchema).safeParse(cells);
  if (!parsed.success) return undefined;
  return parsed.data.map((c) => ({ ...c, id: c.id ?? `${predictionId}:${c.row}:${c.col}` }));
}

/** One prediction row in Nanonets' shape. `status` defaults to Nanonets' `correctly_predicted`, or `moderated` for a moderator's box. */
export function nanonetsPrediction(p: NanonetsPredictionView, pageNo: number): NanonetsPrediction {
  const cells = p.type === 'table' ? nanonetsCells(p.id, p.cells) : undefined;
  return {
    id: p.id,
    label: p.label,
    xmin: p.xmin,
    ymin: p.ymin,
    xmax: p.xmax,
    ymax: p.ymax,
    score: Math.min(1, Math.max(0, p.score)),
    ocr_text: p.ocrText,
    type: p.type === 'table' ? 'table' : 'field',
    status: p.status ?? (p.source === 'MODERATOR' ? 'moderated' : 'correctly_predicted'),
    ...(p.validationStatus === 'failed' ? { validation_status: 'failed' as const } : {}),
    ...(p.validationMessage ? { validation_message: p.validationMessage } : {}),
    page_no: pageNo,
    ...(p.labelId ? { label_id: p.labelId } : {}),
    ...(cells ? { cells } : {}),
  };
}

/** The page's prediction rows, or ones derived from its canonical result when rows were not loaded. */
function pagePredictions(page: NanonetsPageView): readonly NanonetsPredictionView[] {
  if (page.predictions) return page.predictions;
  if (!page.canonical) return [];
  return predictionsFromPage(page.canonical, page.index).map((r, i) => ({
    ...r,
    id: `${page.id}:${i}`,
    source: 'MODEL' as const,
    active: true,
  }));
}

/** The final boxes: what the model found, as moderators left it. */
const finalBoxes = (page: NanonetsPageView) => pagePredictions(page).filter((p) => p.active).map((p) => nanonetsPrediction(p, page.index));
/** The model's own boxes, including those a moderator later removed or replaced. */
const modelBoxes = (page: NanonetsPageView) =>
  pagePredictions(page).filter((p) => p.source === 'MODEL').map((p) => nanonetsPrediction(p, page.index));

function pageMessage(page: NanonetsPageView): string {
  if (page.status === 'DONE') return 'Success';
  if (page.status === 'FAILED') return page.error ? `Failure: ${page.error}` : 'Failure';
  return 'Pending';
}

const pageSize = (page: NanonetsPageView) => ({ width: page.width ?? 0, height: page.height ?? 0 });

/** Adds the signed URLs of a file's original and its pages' images, keyed by storage key (or id). */
function addSignedUrls(urls: Record<string, Record<string, string>>, file: NanonetsFileSummary, pages: readonly NanonetsPageView[]) {
  if (file.originalUrl) urls[file.storageKey ?? file.id] = { original: file.originalUrl };
  for (const page of pages) {
    if (!page.imageUrl) continue;
    // No separate renditions exist: every Nanonets rendition name points at the page image.
    urls[page.imageKey ?? page.id] = { original: page.imageUrl, original_compressed: page.imageUrl, thumbnail: page.imageUrl };
  }
}

/** One `result[]` entry of LabelFile / LabelUrls: one page of one file. */
export function nanonetsPredictionPage(file: NanonetsFileSummary, page: NanonetsPageView): NanonetsPredictionPage {
  return {
    message: pageMessage(page),
    input: file.filename,
    prediction: finalBoxes(page),
    page: page.index,
    request_file_id: file.id,
    id: page.id,
    request_metadata: file.requestMetadata ?? '',
    processing_type: file.processingType === 'ASYNC' ? 'async' : '',
    size: pageSize(page),
    filepath: page.imageKey ?? file.storageKey ?? '',
    rotation: page.rotation,
    ...(page.imageUrl ? { file_url: page.imageUrl } : {}),
  };
}

/**
 * The LabelFile / LabelUrls answer (sync, or a finished async file): one `result[]` entry per page
 * of every file, in file then page order. `message` is `Success` when every page is done; a file
 * that failed before it had pages answers one entry carrying its error.
 */
export function nanonetsPredictionResponse(files: readonly NanonetsFileView[]): NanonetsPredictionResponse {
  const signed: Record<string, Record<string, string>> = {};
  const result: NanonetsPredictionPage[] = [];
  for (const file of files) {
    addSignedUrls(signed, file, file.pages);
    if (file.pages.length === 0) {
      result.push({
        message: file.status === 'FAILED' ? `Failure: ${file.errorMessage ?? 'the file could not be processed'}` : 'Pending',
        input: file.filename,
        prediction: [],
        page: 0,
        request_file_id: file.id,
        id: '',
        request_metadata: file.requestMetadata ?? '',
        processing_type: file.processingType === 'ASYNC' ? 'async' : '',
        size: { width: 0, height: 0 },
      });
      continue;
    }
    for (const page of [...file.pages].sort((a, b) => a.index - b.index)) result.push(nanonetsPredictionPage(file, page));
  }
  const done = result.filter((r) => r.message === 'Success').length;
  const message =
    done === result.length ? 'Success' : done === 0 ? 'Failure' : `Partial success: ${result.length - done} of ${result.length} pages did not complete`;
  return { message, result, signed_urls: signed };
}

/**
 * The async acceptance (also the answer of a sync request that outlived its wait): one entry per
 * file with the `request_file_id` to poll. `message` overrides the top-level message.
 */
export function nanonetsAsyncAccepted(files: readonly NanonetsFileSummary[], message = 'Success'): NanonetsAsyncAccepted {
  return {
    message,
    result: files.map((f) => ({
      message: f.status === 'FAILED' ? `Failure: ${f.errorMessage ?? 'the file could not be processed'}` : 'Success',
      request_file_id: f.id,
      filepath: f.storageKey ?? '',
      status: f.status.toLowerCase(),
      input: f.filename,
      request_metadata: f.requestMetadata ?? '',
      processing_type: 'async',
    })),
  };
}

/** One page in the moderation buckets. */
export function nanonetsModeratedPage({ file, page }: NanonetsPageItem): NanonetsModeratedPage {
  return {
    model_id: file.modelId ?? '',
    day_since_epoch: page.daySinceEpoch,
    is_moderated: page.moderationState === 'APPROVED',
    id: page.id,
    ...(page.imageUrl ? { url: page.imageUrl } : {}),
    predicted_boxes: modelBoxes(page),
    moderated_boxes: finalBoxes(page),
    request_file_id: file.id,
    original_file_name: file.filename,
    filepath: page.imageKey ?? '',
    page: page.index,
    status: page.status.toLowerCase(),
    moderation_state: page.moderationState.toLowerCase(),
    request_metadata: file.requestMetadata ?? '',
    size: pageSize(page),
    ...(page.error ? { error: page.error } : {}),
  };
}

/**
 * The retrieval answer (ModeratedFileResponse) for any set of pages: approved pages in
 * `moderated_images`, unmoderated and rejected ones in `unmoderated_images`, with counts and the
 * signed URLs of each file's original and each page's image.
 */
export function nanonetsModeratedResponse(items: readonly NanonetsPageItem[]): NanonetsModeratedFileResponse {
  const moderated: NanonetsModeratedPage[] = [];
  const unmoderated: NanonetsModeratedPage[] = [];
  const signed: Record<string, Record<string, string>> = {};
  for (const item of items) {
    (item.page.moderationState === 'APPROVED' ? moderated : unmoderated).push(nanonetsModeratedPage(item));
    addSignedUrls(signed, item.file, [item.page]);
  }
  return {
    moderated_images_count: moderated.length,
    unmoderated_images_count: unmoderated.length,
    moderated_images: moderated,
    unmoderated_images: unmoderated,
    signed_urls: signed,
  };
}

/** `GET .../InferenceRequest/{request_file_id}`: every page of the file. */
export function nanonetsFileResult(file: NanonetsFileView): NanonetsModeratedFileResponse {
  return nanonetsModeratedResponse([...file.pages].sort((a, b) => a.index - b.index).map((page) => ({ file, page })));
}

/** `GET .../InferenceRequest/{request_file_id}/page/{page_id}`: that page only. */
export function nanonetsPageResult(file: NanonetsFileSummary, page: NanonetsPageView): NanonetsModeratedFileResponse {
  return nanonetsModeratedResponse([{ file, page }]);
}

/**
 * `GET .../InferenceRequest/?start_day_interval=&current_batch_day=`: the pages whose
 * `daySinceEpoch` falls in `nanonetsDayWindow(...)`, oldest first as the caller loaded them.
 */
export function nanonetsDayWindowResult(items: readonly NanonetsPageItem[]): NanonetsModeratedFileResponse {
  return nanonetsModeratedResponse(items);
}
