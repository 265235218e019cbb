import { mistralFileList, type MistralFileList, type MistralFileView } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';

/** Purpose of files uploaded through `POST /v1/files`; the Files list shows only these. */
export const FILES_API_PURPOSE = 'ocr';
/**
 * Purpose of documents sent inline or by URL to `POST /v1/ocr`. They are files like any other
 * (retrievable by id, deletable) but, as with Mistral, they do not appear in `GET /v1/files`.
 */
export const DIRECT_OCR_PURPOSE = 'ocr_request';

/** What the Files mappers need from a File row. */
export function mistralFileView(file: FileRow): MistralFileView {
  return {
    id: file.id,
    filename: file.filename,
    bytes: file.bytes,
    mime: file.mime,
    createdAt: file.createdAt,
    sha256: file.sha256,
    expiresAt: file.expiresAt,
  };
}

export interface ListFilesInput {
  /** Page size, 1..1000. */
  limit: number;
  /** Rows to skip (`page × page_size`); ignored when `after` is set. */
  offset: number;
  /** Id of the last file of the previous page (cursor pagination, newest first). */
  after?: string | undefined;
  includeTotal: boolean;
  /** False when a filter (purpose, source, sample type) can match no Files API upload. */
  matchesAnything: boolean;
}

/** The organization's Files API uploads, newest first, deleted ones excluded. */
export async function listFiles(deps: ApiDeps, orgId: string, input: ListFilesInput): Promise<MistralFileList> {
  if (!input.matchesAnything) return mistralFileList([], input.includeTotal ? 0 : undefined);
  const page = await deps.db.files.listForOrg(orgId, {
    limit: input.limit,
    offset: input.offset,
    purpose: FILES_API_PURPOSE,
    ...(input.after ? { cursor: input.after } : {}),
  });
  return mistralFileList(page.items.map(mistralFileView), input.includeTotal ? page.total : undefined);
}

/** Hours → the file's expiry instant (the reaper removes it then). */
export function expiryFromHours(hours: number, now = new Date()): Date {
  return new Date(now.getTime() + hours * 3_600_000);
}
