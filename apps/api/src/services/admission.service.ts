import { checkUrl, compileUrlFetchPolicy, isUrlFetchError, urlFetchPolicyFromConfig, type CompiledUrlFetchPolicy } from '@folio/url-fetch';
import type { ApiDeps } from '../api.deps.ts';
import { errors } from '../errors/app-error.ts';

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
