import { randomUUID } from 'node:crypto';
import { assertDeclaredType, captureHead, documentErrors, imageSize, limitsFromConfig, sniffDocumentType, verifyImage, type DocumentType } from '@folio/documents';
import type { TrainingImageRow, TrainingRunRow } from '@folio/db';
import { compileUrlFetchPolicy, fetchUrlToStorage, isUrlFetchError, urlFetchPolicyFromConfig } from '@folio/url-fetch';
import type { NanonetsTrainingAnnotation } from '@folio/contracts';
import { isStorageError, storageKeys } from '@folio/storage';
import type { Readable } from 'node:stream';
import { admitStorageUrl, storageUrlRefused } from './admission.service.ts';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { documentFailure, fromLibraryError } from '../errors/domain-errors.ts';
import type { IncomingDocument } from './upload.service.ts';
import { requireModel } from './models.service.ts';

/** Training images are pictures of pages; annotation boxes are in their pixels. */
const TRAINING_TYPES: readonly DocumentType[] = ['png', 'jpeg', 'tiff'];

/** Where a training image lives. */
export function trainingImageKey(orgId: string, modelId: string, id: string): string {
  // Under the model's folder: the reaper removes it once the model is gone.
  return `${storageKeys.modelPrefix(orgId, modelId)}training/${id}`;
}

/** A training image stored in S3, not yet recorded. */
export interface StoredTrainingObject {
  storageKey: string;
  filename: string;
  /** The URL it came from (UploadUrls); annotations may name it instead of the file name. */
  sourceUrl?: string;
  /** Pixels (EXIF orientation applied): annotation boxes must lie inside. */
  width: number;
  height: number;
}

interface Scope {
  orgId: string;
  modelId: string;
}

function assertTrainingType(declared: string | null, head: Buffer, filename: string): void {
  const type = assertDeclaredType(declared, sniffDocumentType(head));
  if (!TRAINING_TYPES.includes(type)) {
    throw documentFailure('unsupported_type', `"${filename}" is a ${type.toUpperCase()}; training images must be PNG, JPEG or TIFF.`);
  }
}

/**
 * A training image is trained on pixel by pixel: a PNG/JPEG header over garbage or a truncated
 * file is refused (422 corrupt) now, not discovered by a training run later. Every pixel is
 * decoded (into a thumbnail), within the configured pixel and page limits.
 */
async function assertDecodes(deps: ApiDeps, key: string): Promise<{ width: number; height: number }> {
  const bytes = await deps.storage.getBuffer(key);
  await verifyImage(bytes, limitsFromConfig(deps.config));
  return imageSize(bytes);
}

/** Streams an uploaded training image into S3 and checks it is a PNG, JPEG or TIFF; nothing is left behind on refusal. */
export async function storeTrainingUpload(deps: ApiDeps, doc: IncomingDocument, scope: Scope): Promise<StoredTrainingObject> {
  const key = trainingImageKey(scope.orgId, scope.modelId, randomUUID());
  const capture = captureHead();
  doc.stream.on('error', (err) => capture.destroy(err));
  try {
    const put = await deps.storage.putStream(key, doc.stream.pipe(capture), {
      contentType: doc.declaredMime || 'application/octet-stream',
      maxBytes: deps.config.MAX_UPLOAD_BYTES,
    });
    if (put.bytes === 0) throw documentErrors.empty();
    assertTrainingType(doc.declaredMime, capture.head(), doc.filename);
    const size = await assertDecodes(deps, key);
    return { storageKey: key, filename: doc.filename, ...size };
  } catch (err) {
    doc.stream.resume();
    await deps.storage.delete(key).catch(() => {});
    throw fromLibraryError(err);
  }
}

/**
 * Downloads a training image from a URL into S3 from the API process, with the same SSRF-safe
 * fetcher (and policy) the ingest worker uses for LabelUrls: size limit, timeout, every redirect
 * re-checked, private addresses refused unless URL_ALLOW_PRIVATE allows them.
 */
export async function fetchTrainingUrl(deps: ApiDeps, url: string, scope: Scope): Promise<StoredTrainingObject> {
  const key = trainingImageKey(scope.orgId, scope.modelId, randomUUID());
  const filename = (() => {
    try {
      const u = new URL(url);
      return (decodeURIComponent(u.pathname.split('/').pop() || '') || u.hostname).slice(0, 255);
    } catch {
      return 'url';
    }
  })();
  // Folio's own presigned URLs are read from storage, never fetched; others on its endpoint are refused.
  const ownKey = admitStorageUrl(deps, url, scope.orgId);
  const sink = async (body: Readable, contentType: string | null) => {
    const capture = captureHead();
    body.on('error', (err) => capture.destroy(err));
    const stored = await deps.storage.putStream(key, body.pipe(capture), {
      contentType: contentType ?? 'application/octet-stream',
      maxBytes: deps.config.URL_FETCH_MAX_BYTES,
    });
    return { ...stored, head: capture.head(), contentType };
  };
  try {
    const put =
      ownKey !== null
        ? await sink(await ownObject(deps, url, ownKey), null)
        : await fetchUrlToStorage(url, (body, info) => sink(body, info.contentType), compileUrlFetchPolicy({ ...urlFetchPolicyFromConfig(deps.config), forbidTarget: (u, address) => deps.storage.reachesStorage(u, address) }));
    if (put.bytes === 0) throw documentErrors.empty();
    assertTrainingType(put.contentType, put.head, filename);
    const size = await assertDecodes(deps, key);
    return { storageKey: key, filename, sourceUrl: url, ...size };
  } catch (err) {
    await deps.storage.delete(key).catch(() => {});
    if (isUrlFetchError(err)) {
      const message = `Could not fetch ${url.slice(0, 200)}: ${err.message}`;
      // What the URL itself shows is wrong is the client's 400; what happened fetching it, 422.
      if (err.code === 'invalid_url' || err.code === 'forbidden_address') throw errors.badRequest(message, `url_${err.code}`);
      throw documentFailure(`url_${err.code}`, message);
    }
    throw fromLibraryError(err);
  }
}

/** The organization's own object behind a presigned URL; a missing one refuses the URL. */
async function ownObject(deps: ApiDeps, url: string, key: string): Promise<Readable> {
  try {
    return await deps.storage.getStream(key);
  } catch (err) {
    if (isStorageError(err, 'not_found')) throw storageUrlRefused(url, 'not_found');
    throw err;
  }
}

/** Removes stored training objects of a refused request. */
export async function discardTrainingObjects(deps: ApiDeps, objects: readonly StoredTrainingObject[]): Promise<void> {
  await Promise.all(objects.map((o) => deps.storage.delete(o.storageKey).catch(() => {})));
}

/**
 * Pairs each image with its annotation by filename and records them; an annotation naming no
 * image of the request is refused (it would silently train on nothing). Images without an
 * annotation are kept with none.
 */
export async function recordTrainingImages(
  deps: ApiDeps,
  scope: Scope,
  objects: readonly StoredTrainingObject[],
  annotations: readonly NanonetsTrainingAnnotation[],
): Promise<TrainingImageRow[]> {
  const names = (o: StoredTrainingObject) => (o.sourceUrl ? [o.filename, o.sourceUrl] : [o.filename]);
  const orphan = annotations.find((a) => !objects.some((o) => names(o).includes(a.filename)));
  if (orphan) {
    const known = objects.map((o) => `"${o.filename}"`).join(', ');
    throw errors.badRequest(`data names "${orphan.filename}", which is not among the images of this request (${known}).`, 'annotation_without_image');
  }
  // A box outside its image could never be aligned with what the engine reads there.
  for (const o of objects) {
    for (const a of annotations.filter((x) => names(o).includes(x.filename))) {
      for (const obj of a.object) {
        const b = obj.bndbox;
        if (b.xmin < 0 || b.ymin < 0 || b.xmax > o.width || b.ymax > o.height || b.xmin >= b.xmax || b.ymin >= b.ymax) {
          throw errors.unprocessable(
            `The "${obj.name}" box of "${a.filename}" (${b.xmin},${b.ymin})–(${b.xmax},${b.ymax}) does not lie inside the ${o.width}×${o.height} image with xmin < xmax and ymin < ymax.`,
            'box_outside_image',
          );
        }
      }
    }
  }
  return deps.db.training.addImages(
    scope.modelId,
    scope.orgId,
    objects.map((o) => ({
      storageKey: o.storageKey,
      filename: o.filename,
      annotations: annotations.filter((a) => names(o).includes(a.filename)),
    })),
  );
}

/** URLs fetched at once; the rest wait, so one request cannot open a hundred connections. */
const FETCH_CONCURRENCY = 4;

/**
 * UploadUrls: downloads every image (a few at a time, see {@link fetchTrainingUrl}), then records
 * them with their annotations. One URL that cannot be fetched refuses the request: no more are
 * fetched, and every image already stored is removed.
 */
export async function uploadTrainingUrls(
  deps: ApiDeps,
  scope: Scope,
  urls: readonly string[],
  annotations: readonly NanonetsTrainingAnnotation[],
): Promise<TrainingImageRow[]> {
  const stored: StoredTrainingObject[] = [];
  const queue = [...urls.entries()];
  const fetched: StoredTrainingObject[] = new Array(urls.length);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [index, url] = next;
          try {
            const object = await fetchTrainingUrl(deps, url, scope);
            stored.push(object);
            fetched[index] = object;
          } catch (err) {
            queue.length = 0; // the request is refused: fetch no more
            throw err;
          }
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return await recordTrainingImages(deps, scope, fetched, annotations);
  } catch (err) {
    await discardTrainingObjects(deps, stored);
    throw err;
  }
}

/** Category names an annotation list uses. */
function annotatedNames(raw: unknown): string[] {
  const list = (Array.isArray(raw) ? raw : [raw]) as Array<{ object?: Array<{ name?: unknown }> } | null>;
  return list.flatMap((a) => (a?.object ?? []).flatMap((o) => (typeof o?.name === 'string' ? [o.name] : [])));
}

/**
 * Train: starts a training run on the `train` queue over the model's annotated images and its
 * approved pages. 404 for another tenant's model; 400 for a model without categories, without
 * annotated images, or whose annotations name categories it does not have (listed). While a run
 * is queued or running, that run is the answer (no duplicate).
 */
export async function recordTrainingRun(deps: ApiDeps, scope: Scope, requestId = 'train'): Promise<{ run: TrainingRunRow; images: number }> {
  const { orgId, modelId } = scope;
  const model = await requireModel(deps, modelId, orgId);
  const images = await deps.db.training.countImages(modelId, orgId);
  const active = await deps.db.training.activeRun(modelId, orgId);
  if (active) return { run: active, images };
  const rows = await deps.db.training.listImages(modelId, orgId, { limit: 2000 });
  const named = rows.flatMap((r) => annotatedNames(r.annotations));
  if (named.length === 0) {
    throw errors.badRequest(
      `Model ${modelId} has no annotated training images; upload images with their annotations ("data": [{"filename", "object": [{"name", "ocr_text", "bndbox"}]}]) to POST /api/v2/OCR/Model/${modelId}/UploadFile/ or /UploadUrls/ first.`,
      'no_training_data',
    );
  }
  if (model.labels.length === 0) {
    throw errors.badRequest(`Model ${modelId} has no categories to learn; create a model with "categories" (POST /api/v2/OCR/Model/).`, 'no_categories');
  }
  const unknown = [...new Set(named.filter((n) => !model.labels.includes(n)))];
  if (unknown.length > 0) {
    throw errors.badRequest(`Annotations name categories model ${modelId} does not have: ${unknown.map((u) => `"${u}"`).join(', ')} (it has ${model.labels.map((l) => `"${l}"`).join(', ')}).`, 'unknown_categories');
  }
  const { run, created } = await deps.db.training.createRunUnlessActive(modelId, orgId, `Training run queued with ${images} training image${images === 1 ? '' : 's'}.`);
  if (created) await deps.queues.enqueue('train', { runId: run.id, modelId, orgId, requestId }, {});
  return { run, images };
}
