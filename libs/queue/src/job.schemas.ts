import { z } from 'zod';

/**
 * Row ids as they may appear inside job ids: letters, digits, `_` and `-` (uuid, cuid, ...).
 * BullMQ 6 refuses custom ids that contain `:` (the Redis key separator) or parse as integers.
 */
export const rowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'row id must match [A-Za-z0-9_-]{1,128}');

/** The request that caused the work, carried for logs and tracing. */
export const requestIdSchema = z.string().min(1).max(200);

/**
 * How a page is read, from its file's row: carried by the recognize job so the worker need not
 * read the file again per page. Jobs rebuilt from rows alone (the reconciler) lack it.
 */
export const pageReadSchema = z.object({
  /** The file forces OCR (`force_ocr`, or `TEXT_LAYER=off` at upload). */
  forceOcr: z.boolean(),
  /** Detector thresholds the request asked for (docTR options); absent: the engine's own. */
  detection: z
    .object({ binaryThreshold: z.number().min(0).max(1).optional(), boxThreshold: z.number().min(0).max(1).optional() })
    .optional(),
});
export type PageRead = z.infer<typeof pageReadSchema>;
