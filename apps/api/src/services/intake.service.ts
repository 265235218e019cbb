import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { assertDeclaredType, captureHead, documentMimeTypes, sniffDocumentType } from '@folio/documents';
import type { FileRow } from '@folio/db';
import { JOB_PRIORITY } from '@folio/queue';
import { storageKeys } from '@folio/storage';
import { checkUrl, compileUrlFetchPolicy, isUrlFetchError, urlFetchPolicyFromConfig, type CompiledUrlFetchPolicy } from '@folio/url-fetch';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { documentFailure, fromLibraryError } from '../errors/domain-errors.ts';
import { expiryFor } from './retention.service.ts';

export interface IncomingDocument {
  filename: string;
  declaredMime: string;
  stream: Readable;
}

export interface IntakeOptions {
  orgId: string;
  modelId?: string | null;
  sync: boolean;
  requestMetadata?: string | null;
  purpose?: string;
  /** A URL input: recorded on the row; the bytes still arrive through `stream`. */
  sourceUrl?: string;
}

/** How a File row is processed: sync work goes first. */
export function processingFields(sync: boolean) {
  return {
    processingType: sync ? ('SYNC' as const) : ('ASYNC' as const),
    priority: sync ? JOB_PRIORITY.high : JOB_PRIORITY.normal,
  };
}

/** What a File row takes from the request, whatever carried the document. */
function requestFields(opts: IntakeOptions) {
  return {
    orgId: opts.orgId,
    modelId: opts.modelId ?? null,
    purpose: opts.purpose ?? 'ocr',
    ...processingFields(opts.sync),
    requestMetadata: opts.requestMetadata ?? null,
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
      ...requestFields(opts),
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

const urlPolicies = new WeakMap<ApiDeps['config'], CompiledUrlFetchPolicy>();

/** The URL policy of a configuration, compiled (CIDRs parsed) once rather than per URL. */
export function urlPolicyOf(config: ApiDeps['config']): CompiledUrlFetchPolicy {
  let policy = urlPolicies.get(config);
  if (!policy) urlPolicies.set(config, (policy = compileUrlFetchPolicy(urlFetchPolicyFromConfig(config))));
  return policy;
}

/**
 * Records a URL input. Its bytes are fetched by the ingest worker (size limit, timeout,
 * redirects re-checked, private addresses refused); here only what can be judged without
 * the network is checked, so an obviously bad URL is a 400 before anything is queued.
 */
export async function recordUrl(deps: ApiDeps, url: string, opts: IntakeOptions): Promise<FileRow> {
  let parsed: URL;
  try {
    parsed = checkUrl(url, urlPolicyOf(deps.config));
  } catch (err) {
    if (isUrlFetchError(err)) throw errors.badRequest(`${url.slice(0, 200)}: ${err.message}`, `url_${err.code}`);
    throw err;
  }
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
    ...requestFields(opts),
    expiresAt: await expiryFor(deps, opts.orgId),
    source: 'URL',
    sourceUrl: parsed.toString(),
    filename: filename.slice(0, 255),
    storageKey: storageKeys.original(opts.orgId, id),
  });
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

/** Answers 429 when the pipeline already holds more pages than configured. */
export async function assertCapacity(deps: ApiDeps): Promise<void> {
  const counts = await deps.queues.counts();
  const pending = counts.render.total + counts.recognize.total + counts.ingest.total;
  if (pending >= deps.config.MAX_QUEUED_PAGES) {
    throw errors.tooManyRequests(`The service is busy (${pending} pages queued); retry later.`, 10);
  }
}

/**
 * A signal aborted by `signal` or when the API begins shutting down (see `ApiDeps.shutdown`);
 * `dispose` removes its listeners from the long-lived shutdown signal once the wait is over
 * (AbortSignal.any would leave one behind per request).
 */
export function untilShutdown(deps: ApiDeps, signal?: AbortSignal): { signal: AbortSignal | undefined; dispose: () => void } {
  const sources = [signal, deps.shutdown].filter((s): s is AbortSignal => s !== undefined);
  if (sources.length < 2) return { signal: sources[0], dispose: () => {} };
  const combined = new AbortController();
  const abort = () => combined.abort();
  for (const s of sources) {
    if (s.aborted) combined.abort();
    else s.addEventListener('abort', abort, { once: true });
  }
  return { signal: combined.signal, dispose: () => sources.forEach((s) => s.removeEventListener('abort', abort)) };
}

/** True once the API is shutting down: a sync wait that ended now ended for that reason. */
export const isShuttingDown = (deps: ApiDeps): boolean => deps.shutdown?.aborted === true;

const SETTLED = ['PROCESSING', 'COMPLETE', 'PARTIAL', 'FAILED'] as const;
const FINAL = ['COMPLETE', 'PARTIAL', 'FAILED'] as const;

/**
 * Waits (bounded) until the file reaches one of `statuses`, subscribing before it reads Postgres
 * so a change in between is never missed; returns the row as it is when the wait ends.
 */
async function waitForStatus(
  deps: ApiDeps,
  file: FileRow,
  statuses: readonly string[],
  timeoutMs: number,
  signal?: AbortSignal,
  beforeWait?: () => Promise<unknown>,
): Promise<FileRow> {
  const check = async () => {
    const row = await deps.db.files.findById(file.id);
    return row && statuses.includes(row.status) ? { type: 'file' as const, fileId: file.id, status: row.status } : null;
  };
  const stop = untilShutdown(deps, signal);
  try {
    const waiting = deps.events.waitForFile(file.id, { statuses, timeoutMs, check, ...(stop.signal ? { signal: stop.signal } : {}) });
    await beforeWait?.();
    await waiting;
  } finally {
    stop.dispose();
  }
  return (await deps.db.files.findById(file.id)) ?? file;
}

/**
 * Enqueues ingest for each file and waits (bounded) until each is paged or refused. A refused
 * document fails the whole request with its 4xx and leaves nothing behind; past the wait the
 * files keep going and the caller answers with their ids.
 */
export async function submitFiles(deps: ApiDeps, files: FileRow[], requestId: string, waitMs = deps.config.INGEST_WAIT_MS): Promise<FileRow[]> {
  const settled = await Promise.all(
    files.map((file) =>
      waitForStatus(deps, file, SETTLED, waitMs, undefined, () =>
        deps.queues.enqueue('ingest', { fileId: file.id, orgId: file.orgId, requestId }, { priority: file.priority }),
      ),
    ),
  );
  const refused = settled.find((f) => f.status === 'FAILED' && f.errorCode && f.errorCode !== 'pages_failed');
  if (refused) {
    await discardFiles(deps, settled);
    const prefix = files.length > 1 ? `"${refused.filename}": ` : '';
    throw documentFailure(refused.errorCode ?? 'corrupt', `${prefix}${refused.errorMessage ?? 'the document cannot be read.'}`);
  }
  return settled;
}

/** Waits for files to reach a final status; returns the rows as they are when it stops waiting. */
export function awaitCompletion(deps: ApiDeps, files: readonly FileRow[], timeoutMs: number, signal?: AbortSignal): Promise<FileRow[]> {
  return Promise.all(files.map((file) => waitForStatus(deps, file, FINAL, timeoutMs, signal)));
}

export const isFinal = (f: FileRow) => (FINAL as readonly string[]).includes(f.status);
