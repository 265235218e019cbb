import { Readable } from 'node:stream';
import {
  mistralOcrResponse,
  mistralRefusalMessage,
  pageFailureText,
  pageRangesOf,
  parseDataUrl,
  resolvePageSpec,
  type MistralDocumentSource,
  type MistralOcrPageView,
  type MistralOcrResponse,
  type MistralPageImage,
  type PageSpec,
  type SniffedMime,
  type ValidationIssue,
} from '@folio/contracts';
import type { FileRow } from '@folio/db';
import type { ApiDeps } from '../api.deps.ts';
import { AppError } from '../errors/app-error.ts';
import { refusalError } from '../errors/domain-errors.ts';
import { assertCapacity } from './admission.service.ts';
import { awaitCompletion, isFinal, isShuttingDown, refusalOf, submitFiles } from './file-wait.service.ts';
import { loadResults, type FileResult } from './ocr-result.service.ts';
import { DIRECT_OCR_PURPOSE, findFile } from './mistral-files.service.ts';
import { recordUrl, storeUpload } from './upload.service.ts';
import { rereadForced } from './force-ocr.service.ts';
import { ensurePageImage } from './page-image.service.ts';

/** Types the Files + OCR dialect accepts (seed: PDF, PNG, JPEG). */
export const MISTRAL_DOCUMENT_TYPES: readonly SniffedMime[] = ['application/pdf', 'image/png', 'image/jpeg'];

const extension: Record<string, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/** Thrown for a refused request; `issues` name the field (the route builds the dialect's error). */
export class OcrInputError extends Error {
  constructor(
    readonly status: 'bad_request' | 'payload_too_large' | 'unprocessable',
    message: string,
    readonly issue: ValidationIssue,
  ) {
    super(message);
    this.name = 'OcrInputError';
  }
}

/**
 * Decodes a `data:` URI (PDF, PNG or JPEG, canonical base64, declared type = real type) and stores
 * it as a new file of this request. `loc` names the field for the error.
 */
export async function storeDataUrl(deps: ApiDeps, dataUrl: string, orgId: string, loc: Array<string | number>, spec: PageSpec = { all: true }, forceOcr = false): Promise<FileRow> {
  const parsed = parseDataUrl(dataUrl, { allowed: MISTRAL_DOCUMENT_TYPES, strictType: true, maxBytes: deps.config.MAX_UPLOAD_BYTES });
  if (!parsed.ok) {
    const status = parsed.reason === 'too_large' ? 'payload_too_large' : 'bad_request';
    throw new OcrInputError(status, parsed.message, { loc, msg: parsed.message, type: parsed.reason });
  }
  return storeUpload(
    deps,
    { filename: `document.${extension[parsed.mime] ?? 'bin'}`, declaredMime: parsed.mime, stream: Readable.from([parsed.bytes]) },
    { orgId, modelId: null, sync: true, purpose: DIRECT_OCR_PURPOSE, pageSelection: pageRangesOf(spec), forceOcr },
  );
}

/** Records an http(s) URL (SSRF checks here, the worker fetches it) as a new file of this request. */
export async function storeDocumentUrl(deps: ApiDeps, url: string, orgId: string, name?: string, spec: PageSpec = { all: true }, forceOcr = false): Promise<FileRow> {
  const file = await recordUrl(deps, url, { orgId, modelId: null, sync: true, purpose: DIRECT_OCR_PURPOSE, pageSelection: pageRangesOf(spec), forceOcr });
  if (!name) return file;
  return (await deps.db.files.update(file.id, { filename: name.slice(0, 255) })) ?? file;
}

/** The zero-based page indexes a spec selects, or a 422 naming the document's valid range. */
export function selectPages(spec: PageSpec, pageCount: number): number[] {
  const selected = resolvePageSpec(spec, pageCount);
  if (!selected.ok) throw new OcrInputError('unprocessable', selected.message, { loc: ['body', 'pages'], msg: selected.message, type: 'value_error' });
  return selected.pages;
}

/** Refuses a selection past the end of an already-ingested file before waiting for its OCR. */
export function checkSelection(spec: PageSpec, file: FileRow): void {
  if (file.pageCount !== null) selectPages(spec, file.pageCount);
}

/**
 * Ingests a file stored by this request and waits for its OCR (SYNC_TIMEOUT_MS). A refused
 * document answers its 4xx with nothing left behind; a selection past the last page answers 422
 * and soft-deletes the file at once (render skips deleted files; the reaper removes row and objects).
 */
export async function recognizeNew(deps: ApiDeps, file: FileRow, spec: PageSpec, requestId: string, signal?: AbortSignal): Promise<FileRow> {
  // Over the sync page limit this dialect points at uploading the file and OCR-ing it by id.
  const [ingested = file] = await submitFiles(deps, [file], requestId, mistralRefusalMessage);
  try {
    checkSelection(spec, ingested);
  } catch (err) {
    await deps.db.files.softDelete(ingested.id, ingested.orgId);
    throw err;
  }
  return waitForFile(deps, ingested, signal);
}

/**
 * Waits (SYNC_TIMEOUT_MS) for a file to reach a final status. Past the wait it answers 503 with the
 * file id to retry with; a document the pipeline refused answers its 4xx.
 */
export async function waitForFile(deps: ApiDeps, file: FileRow, signal?: AbortSignal): Promise<FileRow> {
  const [finished = file] = isFinal(file) ? [file] : await awaitCompletion(deps, [file], deps.config.SYNC_TIMEOUT_MS, signal);
  if (!isFinal(finished)) {
    const why = isShuttingDown(deps) ? 'The server is restarting and the result was not ready yet' : `The result was not ready within ${deps.config.SYNC_TIMEOUT_MS / 1000} s`;
    throw new AppError(
      'unavailable',
      `${why}; file ${finished.id} is still being processed: retry with POST /v1/files/${finished.id}/ocr.`,
      { retryAfter: isShuttingDown(deps) ? 5 : 10, reason: 'not_ready' },
    );
  }
  const refusal = refusalOf(finished);
  if (refusal) throw refusalError(refusal);
  return finished;
}

/** Width and height from a PNG's IHDR chunk, or null when the bytes are not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } | null {
  if (png.length < 24 || png.readUInt32BE(12) !== 0x49484452) return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function pageImage(deps: ApiDeps, key: string | null): Promise<MistralPageImage | null> {
  if (!key) return null;
  const png = await deps.storage.getBuffer(key);
  const size = pngSize(png);
  return size ? { dataUrl: `data:image/png;base64,${png.toString('base64')}`, ...size } : null;
}

export interface OcrResponseOptions {
  /** Zero-based indexes chosen by the client's `pages`. */
  pages: readonly number[];
  model?: string | null | undefined;
  includeImageBase64?: boolean | null | undefined;
  imageLimit?: number | null | undefined;
  imageMinSize?: number | null | undefined;
  /** Set when the client sent `document_annotation_prompt`: no language model runs, so it is answered as null. */
  documentAnnotationRequested?: boolean;
}

/**
 * The Mistral OCR response for the selected pages of a finished file, with page PNGs as data URLs
 * when asked. Every selected page failing is a 500 (the seed's "OCR processing failed").
 */
export async function buildOcrResponse(deps: ApiDeps, result: FileResult, options: OcrResponseOptions): Promise<MistralOcrResponse> {
  const wanted = new Set(options.pages);
  const chosen = result.pages.filter((p) => wanted.has(p.page.index));
  if (chosen.length > 0 && chosen.every((p) => p.result === null)) {
    const reasons = [...new Set(chosen.map((p) => pageFailureText(p.page)).filter((e): e is string => !!e))].join('; ');
    throw new AppError('internal', `OCR failed on every selected page${reasons ? `: ${reasons}` : '.'}`, { reason: 'ocr_failed' });
  }
  let imagesLeft = options.includeImageBase64 ? (options.imageLimit ?? Number.POSITIVE_INFINITY) : 0;
  const views: MistralOcrPageView[] = [];
  for (const { page, result: canonical } of chosen) {
    let image: MistralPageImage | null = null;
    if (imagesLeft > 0 && canonical) {
      image = await pageImage(deps, await ensurePageImage(deps, page));
      if (image && Math.min(image.width, image.height) >= (options.imageMinSize ?? 0)) imagesLeft -= 1;
    }
    views.push({ index: page.index, result: canonical, image });
  }
  return mistralOcrResponse({
    id: `ocr-${result.file.id}`,
    model: options.model ?? null,
    pages: views,
    docSizeBytes: result.file.bytes ?? 0,
    includeImageBase64: options.includeImageBase64 ?? false,
    imageLimit: options.imageLimit ?? null,
    imageMinSize: options.imageMinSize ?? null,
    ...(options.documentAnnotationRequested ? { documentAnnotation: null } : {}),
  });
}

/** Selects pages of a finished file and builds the response. */
export async function ocrFinishedFile(deps: ApiDeps, file: FileRow, spec: PageSpec, options: Omit<OcrResponseOptions, 'pages'>): Promise<MistralOcrResponse> {
  const result = await loadResults(deps, file);
  const pages = selectPages(spec, file.pageCount ?? result.pages.length);
  return buildOcrResponse(deps, result, { ...options, pages });
}

/** What `POST /v1/ocr` asks for, validated. */
export interface OcrDocumentRequest {
  orgId: string;
  source: MistralDocumentSource;
  /** The request field that carried a `data:` URI, for its error's `loc`. */
  dataField: string;
  spec: PageSpec;
  options: Omit<OcrResponseOptions, 'pages'>;
  requestId: string;
  /** Aborted when the client hangs up: the wait ends (the file keeps going). */
  signal?: AbortSignal;
  /** `force_ocr`: OCR every page even where the PDF's text layer can be trusted. */
  forceOcr?: boolean;
}

/**
 * `POST /v1/ocr`: OCR of an uploaded file (waiting for the OCR its upload started), or of a new
 * document given as a `data:` URI or an http(s) URL (a sync request: stored, ingested, waited for).
 */
export async function ocrDocument(deps: ApiDeps, request: OcrDocumentRequest): Promise<MistralOcrResponse> {
  const { source, spec, orgId } = request;
  let finished: FileRow;
  if (source.kind === 'file') {
    // `org_id` (seed) can only name the caller's own organization: the key decides the tenant.
    const file = await findFile(deps, orgId, source.fileId);
    checkSelection(spec, file);
    finished = await waitForFile(deps, file, request.signal);
    if (request.forceOcr && !finished.forceOcr) finished = await waitForFile(deps, await rereadForced(deps, finished, request.requestId), request.signal);
  } else {
    await assertCapacity(deps);
    const file =
      source.kind === 'data'
        ? await storeDataUrl(deps, source.dataUrl, orgId, ['body', 'document', request.dataField], spec, request.forceOcr)
        : await storeDocumentUrl(deps, source.url, orgId, source.name, spec, request.forceOcr);
    finished = await recognizeNew(deps, file, spec, request.requestId, request.signal);
  }
  return ocrFinishedFile(deps, finished, spec, request.options);
}
