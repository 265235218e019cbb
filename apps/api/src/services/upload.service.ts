import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { assertDeclaredType, captureHead, documentMimeTypes, sniffDocumentType } from '@folio/documents';
import type { FileRow } from '@folio/db';
import { JOB_PRIORITY, type PageRead } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import type { ApiDeps } from '../api.deps.ts';
import { documentFailure, fromLibraryError } from '../errors/domain-errors.ts';
import { admitStorageUrl, admitUrl, storageUrlRefused } from './admission.service.ts';
import { isStorageError } from '@folio/storage';
import { expiryFor } from './retention.service.ts';

/** Upload: a request's documents streamed to S3 and recorded as File rows (QUEUED), or undone. */

export interface IncomingDocument {
  filename: string;
  declaredMime: string;
  stream: Readable;
}

/** One file part of a multipart body, as it arrives. */
export interface IncomingPart extends IncomingDocument {
  field: string;
}

/**
 * A multipart body read part by part (the HTTP layer's `multipartSource`): each file part goes
 * to `onFile` while it arrives; when anything fails, what `onFile` returned so far goes to
 * `onAbort` to be undone, and the error is thrown.
 */
export type MultipartSource = <T>(
  onFile: (part: IncomingPart) => Promise<T>,
  onAbort: (done: T[]) => Promise<void>,
) => Promise<{ fields: Record<string, string[]>; files: T[] }>;

export interface IntakeOptions {
  orgId: string;
  modelId?: string | null;
  sync: boolean;
  requestMetadata?: string | null;
  purpose?: string;
  /** A URL input: recorded on the row; the bytes still arrive through `stream`. */
  sourceUrl?: string;
  /** OCR every page even where the PDF's text layer can be trusted (`force_ocr`). @defaultValue false */
  forceOcr?: boolean;
  /** Zero-based inclusive page ranges to process; omitted or null: every page. */
  pageSelection?: Array<[number, number]> | null;
  /** Detector thresholds for this file's pages (docTR options); omitted: the engine's own. */
  detection?: PageRead['detection'];
}

/** How a File row is processed: sync work goes first. */
export function processingFields(sync: boolean) {
  return {
    processingType: sync ? ('SYNC' as const) : ('ASYNC' as const),
    priority: sync ? JOB_PRIORITY.high : JOB_PRIORITY.normal,
  };
}

/** What a File row takes from the request, whatever carried the document. */
function requestFields(deps: ApiDeps, opts: IntakeOptions) {
  return {
    // TEXT_LAYER=off forces OCR for every file; the choice is stored so the worker reads it from the row.
    forceOcr: opts.forceOcr === true || deps.config.TEXT_LAYER === 'off',
    orgId: opts.orgId,
    modelId: opts.modelId ?? null,
    purpose: opts.purpose ?? 'ocr',
    ...processingFields(opts.sync),
    requestMetadata: opts.requestMetadata ?? null,
    ...(opts.pageSelection ? { pageSelection: opts.pageSelection } : {}),
    ...(opts.detection && Object.keys(opts.detection).length > 0 ? { detection: opts.detection } : {}),
  };
}

/**
 * Stores an upload in S3 while it streams in (sha256 on the way), checks the real type from
 * its bytes, and records the File row. Nothing is left behind when any step refuses it.
 */
export async function storeUpload(deps: ApiDeps, doc: IncomingDocument, opts: IntakeOptions): Promise<FileRow> {
  const id = randomUUID();
  const key = storageKeys.original(opts.orgId, id);
  const capture = captureHead();
  doc.stream.on('error', (err) => capture.destroy(err));
  let put: { bytes: number; sha256: string };
  try {
    put = await deps.storage.putStream(key, doc.stream.pipe(capture), {
      contentType: doc.declaredMime || 'application/octet-stream',
      maxBytes: deps.config.MAX_UPLOAD_BYTES,
    });
  } catch (err) {
    // Drain what the client still sends so the error answer reaches it.
    doc.stream.resume();
    await deps.storage.delete(key).catch(() => {});
    throw fromLibraryError(err);
  }
  try {
    if (put.bytes === 0) throw documentFailure('empty', `"${doc.filename}" is empty (0 bytes).`);
    const type = assertDeclaredType(doc.declaredMime, sniffDocumentType(capture.head()));
    return await deps.db.files.create({
      id,
      ...requestFields(deps, opts),
      expiresAt: await expiryFor(deps, opts.orgId),
      source: opts.sourceUrl ? 'URL' : 'UPLOAD',
      sourceUrl: opts.sourceUrl ?? null,
      filename: doc.filename,
      mime: documentMimeTypes[type],
      bytes: put.bytes,
      sha256: put.sha256,
      storageKey: key,
    });
  } catch (err) {
    await deps.storage.delete(key).catch(() => {});
    throw fromLibraryError(err);
  }
}

/**
 * Stores every file part of a multipart body sent in `field` (other parts are drained) and
 * returns them with the text fields. When any part is refused, those stored are removed.
 */
export async function storeParts(
  deps: ApiDeps,
  parts: MultipartSource,
  field: string,
  opts: IntakeOptions,
): Promise<{ fields: Record<string, string[]>; files: FileRow[] }> {
  const { fields, files } = await parts<FileRow | null>(
    async (part) => {
      if (part.field !== field) {
        part.stream.resume();
        return null;
      }
      return storeUpload(deps, part, opts);
    },
    (done) => discardFiles(deps, done.filter((f): f is FileRow => f !== null)),
  );
  return { fields, files: files.filter((f): f is FileRow => f !== null) };
}

/**
 * Records a URL input. Its bytes are fetched by the ingest worker (size limit, timeout,
 * redirects re-checked, private addresses refused); here only what can be judged without
 * the network is checked, so an obviously bad URL is a 400 before anything is queued.
 */
export async function recordUrl(deps: ApiDeps, url: string, opts: IntakeOptions): Promise<FileRow> {
  const ownKey = admitStorageUrl(deps, url, opts.orgId);
  if (ownKey !== null) return copyStoredObject(deps, url, ownKey, opts);
  const parsed = admitUrl(deps, url);
  const id = randomUUID();
  const lastSegment = parsed.pathname.split('/').pop() ?? '';
  let filename: string;
  try {
    filename = decodeURIComponent(lastSegment) || parsed.hostname;
  } catch {
    // A malformed escape in the path is the server's business, not a reason to refuse the URL.
    filename = lastSegment || parsed.hostname;
  }
  return deps.db.files.create({
    id,
    ...requestFields(deps, opts),
    expiresAt: await expiryFor(deps, opts.orgId),
    source: 'URL',
    sourceUrl: parsed.toString(),
    filename: filename.slice(0, 255),
    storageKey: storageKeys.original(opts.orgId, id),
  });
}

/**
 * A presigned URL of one of the organization's own objects (`files.getSignedUrl`) becomes a new
 * file copied from storage, as an upload would be (hash, sniffed type); the worker then finds
 * the bytes in place and fetches nothing. The row keeps the URL without its query: the
 * signature is a credential, and no one needs it again.
 */
async function copyStoredObject(deps: ApiDeps, url: string, key: string, opts: IntakeOptions): Promise<FileRow> {
  // An original keeps its file's name; anything else (a page image) its key's last segment.
  const originalOf = /^orgs\/[^/]+\/files\/([0-9a-f-]{36})\/original$/.exec(key)?.[1];
  const source = originalOf ? await deps.db.files.findForOrg(originalOf, opts.orgId) : null;
  let stream: Readable;
  try {
    stream = await deps.storage.getStream(key);
  } catch (err) {
    if (isStorageError(err, 'not_found')) throw storageUrlRefused(url, 'not_found');
    throw fromLibraryError(err);
  }
  const filename = source?.filename ?? key.split('/').pop() ?? 'document';
  const bare = new URL(url);
  bare.search = '';
  return storeUpload(deps, { filename, declaredMime: 'application/octet-stream', stream }, { ...opts, sourceUrl: bare.toString() });
}

/** Records every URL of a request, in order; one refused URL removes those recorded before it. */
export async function recordUrls(deps: ApiDeps, urls: readonly string[], opts: IntakeOptions): Promise<FileRow[]> {
  const recorded: FileRow[] = [];
  try {
    for (const url of urls) recorded.push(await recordUrl(deps, url, opts));
  } catch (err) {
    await discardFiles(deps, recorded);
    throw err;
  }
  return recorded;
}

/** Removes files accepted earlier in a request that is now refused as a whole. */
export async function discardFiles(deps: ApiDeps, files: readonly FileRow[]): Promise<void> {
  await Promise.all(
    files.map(async (f) => {
      await deps.storage.deletePrefix(storageKeys.filePrefix(f.orgId, f.id)).catch(() => {});
      await deps.db.files.hardDelete(f.id).catch(() => {});
    }),
  );
}

/** Runs `work` on files this request stored; when it throws, the files are removed first. */
export async function orDiscard<T>(deps: ApiDeps, files: readonly FileRow[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    await discardFiles(deps, files);
    throw err;
  }
}
