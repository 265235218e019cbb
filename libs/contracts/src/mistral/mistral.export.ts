import { z } from 'zod';
import { fileProgressSchema } from '../progress/file-progress.ts';
import { mistralErrorSchema } from './mistral.schemas.ts';

/** Formats of `GET /v1/files/{file_id}/export`, with the content type each is served as. */
export const EXPORT_CONTENT_TYPES = {
  /** Searchable PDF: the original with invisible text on OCR'd pages (images: one page each). */
  pdf: 'application/pdf',
  /** hOCR 1.2 (XHTML). */
  hocr: 'application/xhtml+xml; charset=utf-8',
  /** Lines in reading order; pages separated by a form feed. */
  txt: 'text/plain; charset=utf-8',
  /** Markdown; pages separated by `---`. */
  md: 'text/markdown; charset=utf-8',
  /** The canonical pages (one per page, `null` for a failed page). */
  json: 'application/json; charset=utf-8',
} as const;
export type ExportFormat = keyof typeof EXPORT_CONTENT_TYPES;

/** Query of `GET /v1/files/{file_id}/export`. */
export const fileExportQuerySchema = z.object({
  format: z.enum(Object.keys(EXPORT_CONTENT_TYPES) as [ExportFormat, ...ExportFormat[]]),
});

/** 409 of an export while the file is still being read: the error, with the file's progress. */
export const fileExportPendingSchema = mistralErrorSchema.extend({ processing: fileProgressSchema });
export type FileExportPending = z.output<typeof fileExportPendingSchema>;
