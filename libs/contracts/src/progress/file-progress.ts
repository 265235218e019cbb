import { z } from 'zod';

/** File statuses after which nothing changes any more (Postgres enum names). */
export const FINAL_FILE_STATUSES = ['COMPLETE', 'PARTIAL', 'FAILED'] as const;
export type FinalFileStatus = (typeof FINAL_FILE_STATUSES)[number];

export function isFinalFileStatus(status: string): status is FinalFileStatus {
  return (FINAL_FILE_STATUSES as readonly string[]).includes(status);
}

/** At most this many failed pages are listed with their reasons; `pages_failed` still counts all. */
export const MAX_LISTED_FAILED_PAGES = 100;

/** A page that failed for good, with the reason stored on it. */
export const failedPageSchema = z.object({
  page_id: z.string(),
  /** Zero-based position in the file. */
  index: z.int().min(0),
  error: z.string().nullable(),
});
export type FailedPage = z.infer<typeof failedPageSchema>;

/**
 * Where one file stands: the same object on every retrieval route (Nanonets InferenceRequest
 * spreads it into its answer, the Files API nests it as `processing`), in the SSE events of
 * `GET /v1/files/{id}/events` and, trimmed, in webhook payloads.
 */
export const fileProgressSchema = z.object({
  file_id: z.string(),
  /** Lowercase file status: `queued`, `processing`, `complete`, `partial`, `failed`. */
  status: z.enum(['queued', 'processing', 'complete', 'partial', 'failed']),
  /** Pages of the document; 0 until ingest has counted them. */
  pages_total: z.int().min(0),
  /** Pages recognized successfully. */
  pages_done: z.int().min(0),
  /** Pages that failed for good (their file ends PARTIAL or FAILED). */
  pages_failed: z.int().min(0),
  /** The first {@link MAX_LISTED_FAILED_PAGES} failed pages by index, with their reasons. */
  failed_pages: z.array(failedPageSchema),
  /** Why the file as a whole failed or is partial, when known. */
  error: z.string().nullable(),
});
export type FileProgressView = z.infer<typeof fileProgressSchema>;

/** What {@link fileProgressView} needs: the File row's fields and its pages' counts. */
export interface FileProgressInput {
  id: string;
  /** Postgres enum name (`PROCESSING`, …). */
  status: string;
  pageCount: number | null;
  errorMessage: string | null;
  counts: { total: number; done: number; failed: number };
  failedPages: ReadonlyArray<{ id: string; index: number; error: string | null }>;
}

/** Maps a file and its page counts onto the progress object every route shows. */
export function fileProgressView(input: FileProgressInput): FileProgressView {
  return {
    file_id: input.id,
    status: input.status.toLowerCase() as FileProgressView['status'],
    // The pages that are processed: a request's selection gets rows for its pages only, so the
    // rows count them; before ingest made any, the document's count (or 0) stands in.
    pages_total: input.counts.total > 0 ? input.counts.total : (input.pageCount ?? 0),
    pages_done: input.counts.done,
    pages_failed: input.counts.failed,
    failed_pages: [...input.failedPages]
      .sort((a, b) => a.index - b.index)
      .slice(0, MAX_LISTED_FAILED_PAGES)
      .map((p) => ({ page_id: p.id, index: p.index, error: p.error })),
    error: input.errorMessage,
  };
}

/**
 * Server-Sent Events of `GET /v1/files/{id}/events`, in order: one `snapshot` (the state when
 * the stream opened), `progress` whenever a page finishes or the file starts processing, then
 * exactly one final event named after the outcome, after which the server closes the stream.
 * Every event's `data` is a {@link FileProgressView} as JSON.
 */
export const FILE_STREAM_EVENTS = ['snapshot', 'progress', 'complete', 'partial', 'failed'] as const;
export type FileStreamEvent = (typeof FILE_STREAM_EVENTS)[number];

/** The final stream event for a final status (`COMPLETE` → `complete`). */
export function finalStreamEvent(status: FinalFileStatus): Extract<FileStreamEvent, 'complete' | 'partial' | 'failed'> {
  return status.toLowerCase() as 'complete' | 'partial' | 'failed';
}
