import { checkUrl, compileUrlFetchPolicy, isUrlFetchError, urlFetchPolicyFromConfig, type CompiledUrlFetchPolicy } from '@folio/url-fetch';
import type { FailureOf } from '@folio/contracts';
import { storageKeys } from '@folio/storage';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';
import { refusalError } from '../errors/domain-errors.ts';

/**
 * Admission: whether a request's documents may enter the pipeline at all, judged before anything
 * is stored (queue capacity, URLs the policy refuses).
 */

/** Answers 429 when the pipeline already holds more pages than configured. */
export async function assertCapacity(deps: ApiDeps): Promise<void> {
  const counts = await deps.queues.counts();
  const pending = counts.render.total + counts.recognize.total + counts.ingest.total;
  if (pending >= deps.config.MAX_QUEUED_PAGES) {
    throw errors.tooManyRequests(`The service is busy (${pending} pages queued); retry later.`, 10);
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
 * A URL input checked as far as it can be without the network (scheme, credentials, literal
 * private addresses); the ingest worker re-checks every address it connects to. A refused URL
 * is a 400 whose reason is the catalogue's `url_<code>`.
 */
export function admitUrl(deps: ApiDeps, url: string): URL {
  try {
    return checkUrl(url, urlPolicyOf(deps.config));
  } catch (err) {
    if (isUrlFetchError(err)) throw errors.badRequest(`${url.slice(0, 200)}: ${err.message}`, `url_${err.code}`);
    throw err;
  }
}

/** A URL on Folio's storage refused for `reason`, as the client's 400 (nothing is fetched or kept). */
export function storageUrlRefused(url: string, reason: FailureOf<'storage_url_refused'>['reason']) {
  return refusalError({ code: 'storage_url_refused', url: url.slice(0, 2_000), reason });
}

/**
 * Folio's own presigned URLs are read from storage, never fetched: the key of the object when
 * `url` is a valid, unexpired presigned GET of one of `orgId`'s files; null when `url` is not on
 * the storage endpoint (an ordinary URL, judged by {@link admitUrl}). Anything else on the
 * storage endpoint (another bucket, no or a wrong signature, expired, another organization's
 * object) is refused here, before the URL policy: with the endpoint's private address allowed
 * (`URL_ALLOW_PRIVATE`), fetching it would read whatever the storage server hands out.
 */
export function admitStorageUrl(deps: ApiDeps, url: string, orgId: string): string | null {
  const verdict = deps.storage.inspectUrl(url);
  if (verdict.kind === 'foreign') return null;
  if (verdict.kind === 'refused') throw storageUrlRefused(url, verdict.reason);
  if (!verdict.key.startsWith(storageKeys.orgPrefix(orgId))) throw storageUrlRefused(url, 'other_organization');
  return verdict.key;
}
