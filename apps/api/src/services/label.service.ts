import {
  NANONETS_FILE_FIELD,
  nanonetsRefusalMessage,
  type NanonetsFileSummary,
  type NanonetsFileView,
  type NanonetsLabelFileFields,
} from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { assertCapacity } from './admission.service.ts';
import { awaitCompletion, isFinal, isShuttingDown, submitFiles } from './file-wait.service.ts';
import { requireModel } from './models.service.ts';
import { fileSummary, fileView } from './nanonets-view.service.ts';
import { orDiscard, processingFields, recordUrls, storeParts, type MultipartSource } from './upload.service.ts';

/**
 * Nanonets LabelFile and LabelUrls: store or record the documents, ingest them (a refused
 * document refuses the whole request, nothing left behind), then either hand back the ids to
 * poll (async) or wait up to SYNC_TIMEOUT_MS for the predictions (sync).
 */

type LabelRoute = 'LabelFile' | 'LabelUrls';

/** What a label request ends with; the route maps it to HTTP. */
export type LabelOutcome =
  /** Async: the files to poll. */
  | { kind: 'accepted'; files: NanonetsFileSummary[] }
  /** Sync, finished within the wait. */
  | { kind: 'predictions'; files: NanonetsFileView[] }
  /** Sync, not finished when the wait ended (timeout, or the API shutting down): the files to poll. */
  | { kind: 'pending'; files: NanonetsFileSummary[]; shuttingDown: boolean; waitedSeconds: number };

interface LabelRequest {
  orgId: string;
  modelId: string;
  /** Sync unless the route, `?async=true` or the body asked for async. */
  sync: boolean;
  requestId: string;
  /** Aborted when the client hangs up: a sync request stops waiting (its files keep going). */
  signal?: AbortSignal;
  /** `?force_ocr=true`: OCR every page even where the PDF's text layer can be trusted. */
  forceOcr?: boolean;
}

export interface LabelFileRequest extends LabelRequest {
  parts: MultipartSource;
  /** Validates the text fields; they may follow the file parts, so they are known only at the end. */
  parseFields: (fields: Record<string, string[]>) => NanonetsLabelFileFields;
}

export interface LabelUrlsRequest extends LabelRequest {
  urls: readonly string[];
  requestMetadata?: string | null;
}

/** `POST .../LabelFile/` and `.../LabelFile/Async/`: multipart `file` parts streamed to storage. */
export async function labelFile(deps: ApiDeps, request: LabelFileRequest): Promise<LabelOutcome> {
  const { orgId, modelId } = request;
  await requireModel(deps, modelId, orgId);
  await assertCapacity(deps);
  const { fields, files } = await storeParts(deps, request.parts, NANONETS_FILE_FIELD, { orgId, modelId, sync: request.sync, forceOcr: request.forceOcr ?? false });
  let sync = request.sync;
  const stored = await orDiscard(deps, files, async () => {
    if (files.length === 0) throw errors.badRequest(`Send at least one file in the multipart field "${NANONETS_FILE_FIELD}".`, 'no_file');
    const form = request.parseFields(fields);
    // Form fields may follow the file parts, so rows already written as sync are corrected here,
    // before ingest is enqueued.
    const turnedAsync = sync && form.async === true;
    if (turnedAsync) sync = false;
    const changes = {
      ...(turnedAsync ? processingFields(false) : {}),
      ...(form.request_metadata !== undefined ? { requestMetadata: form.request_metadata ?? null } : {}),
    };
    if (Object.keys(changes).length === 0) return files;
    return Promise.all(files.map(async (f) => (await deps.db.files.update(f.id, changes)) ?? f));
  });
  return ingestAndAnswer(deps, stored, { ...request, sync }, 'LabelFile');
}

/**
 * `POST .../LabelUrls/` and `.../LabelUrls/Async/`: every URL is checked (scheme, credentials,
 * literal private addresses) before any is recorded; the worker fetches them SSRF-safe.
 */
export async function labelUrls(deps: ApiDeps, request: LabelUrlsRequest): Promise<LabelOutcome> {
  const { orgId, modelId, sync } = request;
  await requireModel(deps, modelId, orgId);
  await assertCapacity(deps);
  const recorded = await recordUrls(deps, request.urls, { orgId, modelId, sync, requestMetadata: request.requestMetadata ?? null, forceOcr: request.forceOcr ?? false });
  return ingestAndAnswer(deps, recorded, request, 'LabelUrls');
}

async function ingestAndAnswer(deps: ApiDeps, files: FileRow[], request: LabelRequest, route: LabelRoute): Promise<LabelOutcome> {
  const submitted = await submitFiles(deps, files, request.requestId, (failure) => nanonetsRefusalMessage(failure, { modelId: request.modelId, route }));
  if (!request.sync) return { kind: 'accepted', files: await Promise.all(submitted.map((f) => fileSummary(deps, f))) };
  const finished = await awaitCompletion(deps, submitted, deps.config.SYNC_TIMEOUT_MS, request.signal);
  if (finished.every(isFinal)) return { kind: 'predictions', files: await Promise.all(finished.map((f) => fileView(deps, f))) };
  return {
    kind: 'pending',
    files: await Promise.all(finished.map((f) => fileSummary(deps, f))),
    shuttingDown: isShuttingDown(deps),
    waitedSeconds: Math.round(deps.config.SYNC_TIMEOUT_MS / 1000),
  };
}
