import { assertDeclaredType, captureHead, documentMimeTypes, sniffDocumentType } from '@folio/documents';
import type { FileRow } from '@folio/db';
import { compileUrlFetchPolicy, fetchUrlToStorage, urlFetchPolicyFromConfig, type CompiledUrlFetchPolicy } from '@folio/url-fetch';
import type { WorkerDeps } from '../worker.deps.ts';

let policy: CompiledUrlFetchPolicy | undefined;

/**
 * Downloads a URL input into the file's storage key (once: a retried ingest finds the object
 * there) and records size, hash and the sniffed type. Fetch errors surface as UrlFetchError,
 * document type errors as DocumentError; the caller decides what is permanent.
 */
export async function materializeUrl(deps: WorkerDeps, file: FileRow & { storageKey: string; sourceUrl: string }): Promise<void> {
  if (file.sha256 && (await deps.storage.head(file.storageKey))) return;
  policy ??= compileUrlFetchPolicy(urlFetchPolicyFromConfig(deps.config));
  let contentType: string | null = null;
  const capture = captureHead();
  const put = await fetchUrlToStorage(
    file.sourceUrl,
    (body, info) => {
      contentType = info.contentType;
      body.on('error', (err) => capture.destroy(err));
      return deps.storage.putStream(file.storageKey, body.pipe(capture), {
        contentType: info.contentType ?? 'application/octet-stream',
        maxBytes: deps.config.URL_FETCH_MAX_BYTES,
      });
    },
    policy,
  );
  try {
    const type = assertDeclaredType(contentType, sniffDocumentType(capture.head()));
    await deps.db.files.update(file.id, { bytes: put.bytes, sha256: put.sha256, mime: documentMimeTypes[type] });
  } catch (err) {
    await deps.storage.delete(file.storageKey);
    throw err;
  }
}
