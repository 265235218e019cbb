import { failureMessage, fileFailureOf, isFileRefusal, type Failure } from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { refusalError } from '../errors/domain-errors.ts';
import { discardFiles } from './upload.service.ts';

/**
 * Waiting: a request waits (bounded) for its files to reach a status, woken by the file events,
 * and stops early when the client hangs up or the API shuts down.
 */

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

export const isFinal = (f: FileRow) => (FINAL as readonly string[]).includes(f.status);

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

/** A file ingest refused, with the stored reason. */
export interface IngestRefusal {
  file: FileRow;
  failure: Failure;
}

/** Ingest's answer for a request's files: all paged (or still going), or one refused. */
export type IngestOutcome = { files: FileRow[]; refused: null } | { files: FileRow[]; refused: IngestRefusal };

/** The reason a FAILED file refuses its request, or null when it did not (or has not) refuse(d) it. */
export function refusalOf(file: FileRow): Failure | null {
  if (file.status !== 'FAILED') return null;
  const failure = fileFailureOf(file);
  return failure && isFileRefusal(failure) ? failure : null;
}

/**
 * Enqueues ingest for each file and waits (bounded) until each is paged or refused. A refused
 * document refuses the whole request: every file is removed and the refusal returned for the
 * caller to answer in its dialect. Past the wait the files keep going.
 */
export async function ingestFiles(deps: ApiDeps, files: FileRow[], requestId: string, waitMs = deps.config.INGEST_WAIT_MS): Promise<IngestOutcome> {
  const settled = await Promise.all(
    files.map((file) =>
      waitForStatus(deps, file, SETTLED, waitMs, undefined, () =>
        deps.queues.enqueue('ingest', { fileId: file.id, orgId: file.orgId, requestId }, { priority: file.priority }),
      ),
    ),
  );
  for (const file of settled) {
    const failure = refusalOf(file);
    if (failure) {
      await discardFiles(deps, settled);
      return { files: settled, refused: { file, failure } };
    }
  }
  return { files: settled, refused: null };
}

/** Waits for files to reach a final status; returns the rows as they are when it stops waiting. */
export function awaitCompletion(deps: ApiDeps, files: readonly FileRow[], timeoutMs: number, signal?: AbortSignal): Promise<FileRow[]> {
  return Promise.all(files.map((file) => waitForStatus(deps, file, FINAL, timeoutMs, signal)));
}

/**
 * {@link ingestFiles} for callers that answer a refusal as an error: its status and reason from
 * the code, its sentence from `render` (the dialect's wording; plain English by default), naming
 * the file when the request had several.
 */
export async function submitFiles(
  deps: ApiDeps,
  files: FileRow[],
  requestId: string,
  render: (failure: Failure) => string = failureMessage,
): Promise<FileRow[]> {
  const outcome = await ingestFiles(deps, files, requestId);
  if (!outcome.refused) return outcome.files;
  const { file, failure } = outcome.refused;
  throw refusalError(failure, `${files.length > 1 ? `"${file.filename}": ` : ''}${render(failure)}`);
}
