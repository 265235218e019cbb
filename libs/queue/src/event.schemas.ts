import { z } from 'zod';
import { rowIdSchema } from './job.schemas.ts';

/** Status strings are the Postgres enums' names (owned by libs/db), kept open here. */
const statusSchema = z.string().min(1).max(40);

/** A page reached a new status; `done` of `total` pages of its file are finished. */
export const pageEventSchema = z.object({
  type: z.literal('page'),
  fileId: rowIdSchema,
  pageId: rowIdSchema,
  status: statusSchema,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

/** A file reached a new status (final ones: COMPLETE, PARTIAL, FAILED). */
export const fileEventSchema = z.object({
  type: z.literal('file'),
  fileId: rowIdSchema,
  status: statusSchema,
});

/** Progress and completion events, published by workers and heard by API processes. */
export const progressEventSchema = z.discriminatedUnion('type', [pageEventSchema, fileEventSchema]);

export type PageEvent = z.infer<typeof pageEventSchema>;
export type FileEvent = z.infer<typeof fileEventSchema>;
export type ProgressEvent = z.infer<typeof progressEventSchema>;
