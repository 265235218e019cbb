import { z } from 'zod';
import { booleanish, integerish, listish } from '../common/query.ts';

/** Multipart field carrying the documents (repeatable), as the seed names it. */
export const NANONETS_FILE_FIELD = 'file';
/** Most URLs one LabelUrls/UploadUrls request may carry (Folio's limit; the seed sets none). */
export const NANONETS_MAX_URLS = 100;
/** Longest `request_metadata` echoed back, in characters (Folio's limit; the seed sets none). */
export const NANONETS_MAX_METADATA = 65_536;

const id = z.string().min(1);

/** `{model_id}` routes. */
export const nanonetsModelParamsSchema = z.object({ model_id: id });
/** `.../InferenceRequest/{request_file_id}`. */
export const nanonetsFileParamsSchema = z.object({ model_id: id, request_file_id: id });
/** `.../InferenceRequest/{request_file_id}/page/{page_id}`. */
export const nanonetsPageParamsSchema = z.object({ model_id: id, request_file_id: id, page_id: id });

/** `?async=true` on the sync LabelFile / LabelUrls routes switches them to async. */
export const nanonetsAsyncQuerySchema = z.object({
  async: booleanish().default(false),
  /** Folio: `?force_ocr=true` OCRs every page even where the PDF's text layer can be trusted. */
  force_ocr: booleanish().default(false),
});

const requestMetadata = z.string().max(NANONETS_MAX_METADATA, `request_metadata is limited to ${NANONETS_MAX_METADATA} characters.`);

/** Text fields of LabelFile and LabelFile/Async (the `file` parts are streamed separately). */
export const nanonetsLabelFileFieldsSchema = z.object({
  request_metadata: requestMetadata.optional(),
  async: booleanish().optional(),
});
export type NanonetsLabelFileFields = z.output<typeof nanonetsLabelFileFieldsSchema>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'Each URL must be an absolute http(s) URL.' });
const urlList = listish(httpUrl)
  .refine((urls) => urls.length > 0, 'urls must hold at least one URL.')
  .refine((urls) => urls.length <= NANONETS_MAX_URLS, `At most ${NANONETS_MAX_URLS} URLs per request.`);

/**
 * Body of LabelUrls and LabelUrls/Async: form-urlencoded (`urls=a&urls=b`, as Python's requests
 * sends a list) or JSON.
 */
export const nanonetsLabelUrlsBodySchema = z.object({
  urls: urlList,
  request_metadata: requestMetadata.optional(),
  async: booleanish().optional(),
});
export type NanonetsLabelUrlsBody = z.output<typeof nanonetsLabelUrlsBodySchema>;

/** Query of the day-window listing; both are days since 1970-01-01 UTC (see `nanonetsDayWindow`). */
export const nanonetsDayWindowQuerySchema = z.object({
  start_day_interval: integerish(0),
  current_batch_day: integerish(0),
});
export type NanonetsDayWindowQuery = z.output<typeof nanonetsDayWindowQuerySchema>;

/** Text fields of UploadFile: `data` is the annotation JSON (string) for the uploaded images. */
export const nanonetsUploadFileFieldsSchema = z.object({
  data: z.string({ error: 'data (the annotation JSON) is required.' }).min(1, 'data (the annotation JSON) is required.'),
});

/** Body of UploadUrls (JSON). `data` may be the annotation JSON as a string or as JSON. */
export const nanonetsUploadUrlsBodySchema = z.object({
  urls: urlList,
  data: z.union([z.string(), z.array(z.unknown())]).optional(),
});
export type NanonetsUploadUrlsBody = z.output<typeof nanonetsUploadUrlsBodySchema>;
