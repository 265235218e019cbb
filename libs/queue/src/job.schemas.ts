import { z } from 'zod';

/**
 * Row ids as they may appear inside job ids: letters, digits, `_` and `-` (uuid, cuid, ...).
 * BullMQ 6 refuses custom ids that contain `:` (the Redis key separator) or parse as integers.
 */
export const rowIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'row id must match [A-Za-z0-9_-]{1,128}');

/** The request that caused the work, carried for logs and tracing. */
export const requestIdSchema = z.string().min(1).max(200);
