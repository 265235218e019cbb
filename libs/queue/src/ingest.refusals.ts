/**
 * Error code ingest stores on a File row when a sync request's document has more pages than
 * sync allows; the API reads it back to answer the waiting client with a 400 naming the async route.
 */
export const SYNC_PAGE_LIMIT = 'sync_page_limit';
