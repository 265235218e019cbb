import type { Readable } from 'node:stream';
import { mistralFileList, type FileProgressView, type MistralFileList, type MistralFileView } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import { isStorageError } from '@folio/storage';
import type { ApiDeps } from '../api.deps.ts';
import { AppError } from '../errors/app-error.ts';
import { fromLibraryError } from '../errors/domain-errors.ts';
import { fileProgressOf } from './file-progress.service.ts';

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
    fileStatus: file.status,
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

const fileNotFound = (fileId: string) => new AppError('not_found', `File ${fileId} not found.`, { reason: 'file_not_found' });
/** A URL input the worker has not fetched yet has no original to read or sign. */
const contentNotReady = (fileId: string) => new AppError('not_found', `File ${fileId} has no stored content yet.`, { reason: 'content_not_ready' });

/** The caller's file (not deleted), or 404: another tenant's id is as unknown as a missing one. */
export async function findFile(deps: ApiDeps, orgId: string, fileId: string): Promise<FileRow> {
  const file = await deps.db.files.findForOrg(fileId, orgId);
  if (!file) throw fileNotFound(fileId);
  return file;
}

/** The file object's fields and its OCR progress (`GET /v1/files/{id}`). */
export async function retrieveFile(deps: ApiDeps, orgId: string, fileId: string): Promise<{ file: MistralFileView; processing: FileProgressView }> {
  const file = await findFile(deps, orgId, fileId);
  return { file: mistralFileView(file), processing: await fileProgressOf(deps, file) };
}

/**
 * Hides the file at once (404 everywhere afterwards); the reaper removes the row, its pages and
 * its objects later. Answers the id deleted.
 */
export async function deleteFile(deps: ApiDeps, orgId: string, fileId: string): Promise<string> {
  const file = await findFile(deps, orgId, fileId);
  // A concurrent delete may win between the lookup and here: that caller got the 200.
  if (!(await deps.db.files.softDelete(file.id, orgId))) throw fileNotFound(file.id);
  return file.id;
}

/** The original as uploaded, as a stream (never buffered whole), with what its headers need. */
export async function openFileContent(
  deps: ApiDeps,
  orgId: string,
  fileId: string,
): Promise<{ filename: string; bytes: number | null; body: Readable }> {
  const file = await findFile(deps, orgId, fileId);
  if (!file.storageKey || !file.sha256) throw contentNotReady(file.id);
  try {
    return { filename: file.filename, bytes: file.bytes, body: await deps.storage.getStream(file.storageKey) };
  } catch (err) {
    throw isStorageError(err, 'not_found') ? contentNotReady(file.id) : fromLibraryError(err);
  }
}

/** A presigned GET of the original, valid `hours` hours, naming the file as uploaded. */
export async function signedFileUrl(deps: ApiDeps, orgId: string, fileId: string, hours: number): Promise<string> {
  const file = await findFile(deps, orgId, fileId);
  if (!file.storageKey || !file.sha256) throw contentNotReady(file.id);
  try {
    return await deps.storage.presignGet(file.storageKey, { expiresInSeconds: hours * 3_600, filename: file.filename });
  } catch (err) {
    throw fromLibraryError(err);
  }
}
