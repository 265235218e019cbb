import type { Readable } from 'node:stream';
import { assertDeclaredType, captureHead, documentMimeTypes, sniffDocumentType } from '@folio/documents';
import type { FileRow } from '@folio/db';
import { compileUrlFetchPolicy, fetchUrlToStorage, urlFetchPolicyFromConfig, type CompiledUrlFetchPolicy } from '@folio/url-fetch';
import { storageKeys } from '@folio/storage';
import type { WorkerDeps } from '../worker.deps.ts';
import { FailureError } from './failure.mapping.ts';

const policies = new WeakMap<WorkerDeps['storage'], CompiledUrlFetchPolicy>();

/**
 * The configured URL policy, plus: never connect to Folio's own storage (a redirect to it, or a
 * name that resolves to it), whatever `URL_ALLOW_PRIVATE` allows. One per storage client.
 */
function policyOf(deps: WorkerDeps): CompiledUrlFetchPolicy {
  let policy = policies.get(deps.storage);
  if (!policy) {
    policy = compileUrlFetchPolicy({ ...urlFetchPolicyFromConfig(deps.config), forbidTarget: (url, address) => deps.storage.reachesStorage(url, address) });
    policies.set(deps.storage, policy);
  }
  return policy;
}

/**
 * Downloads a URL input into the file's storage key (once: a retried ingest finds the object
 * there) and records size, hash and the sniffed type. Fetch errors surface as UrlFetchError,
 * document type errors as DocumentError; the caller decides what is permanent.
 */
export async function materializeUrl(deps: WorkerDeps, file: FileRow & { storageKey: string; sourceUrl: string }): Promise<void> {
  if (file.sha256 && (await deps.storage.head(file.storageKey))) return;
  const policy = policyOf(deps);
  let contentType: string | null = null;
  const capture = captureHead();
  const sink = (body: Readable, declared: string | null) => {
    contentType = declared;
    body.on('error', (err) => capture.destroy(err));
    return deps.storage.putStream(file.storageKey, body.pipe(capture), {
      contentType: declared ?? 'application/octet-stream',
      maxBytes: deps.config.URL_FETCH_MAX_BYTES,
    });
  };
  const ownKey = ownObjectKey(deps, file);
  const put =
    ownKey !== null
      ? await sink(await deps.storage.getStream(ownKey), null)
      : await fetchUrlToStorage(file.sourceUrl, (body, info) => sink(body, info.contentType), policy);
  try {
    const type = assertDeclaredType(contentType, sniffDocumentType(capture.head()));
    await deps.db.files.update(file.id, { bytes: put.bytes, sha256: put.sha256, mime: documentMimeTypes[type] });
  } catch (err) {
    await deps.storage.delete(file.storageKey);
    throw err;
  }
}

/**
 * The API copies the organization's own presigned URLs at admission; a row that still names one
 * (recorded before that, or by another path) is read from storage here too. Any other URL on the
 * storage endpoint fails the file with `storage_url_refused` and is never fetched: the embedded
 * S3 server checks no signatures, so a fetch would read another organization's objects.
 */
function ownObjectKey(deps: WorkerDeps, file: FileRow & { sourceUrl: string }): string | null {
  const verdict = deps.storage.inspectUrl(file.sourceUrl);
  if (verdict.kind === 'foreign') return null;
  const refuse = (reason: 'other_bucket' | 'unsigned' | 'bad_signature' | 'expired' | 'other_organization') =>
    new FailureError({ code: 'storage_url_refused', url: file.sourceUrl.split('?')[0] ?? '', reason });
  if (verdict.kind === 'refused') throw refuse(verdict.reason);
  if (!verdict.key.startsWith(storageKeys.orgPrefix(file.orgId))) throw refuse('other_organization');
  return verdict.key;
}
