/**
 * SSRF-safe download of URL inputs (Nanonets LabelUrls, Mistral document_url) into storage.
 * `checkUrl` is the cheap synchronous gate for the API; `fetchUrlToStorage` is the worker's
 * fetch, which checks again after DNS and at every redirect.
 */
export { fetchUrlToStorage } from './url-fetch.service.ts';
export { postToUrl, type PostResult } from './url-fetch.post.ts';
export { checkUrl, MAX_URL_LENGTH } from './url-fetch.check.ts';
export type { FetchedBodyInfo, UrlFetchSink } from './url-fetch.body.ts';
export { UrlFetchError, isUrlFetchError, type UrlFetchErrorCode } from './url-fetch.errors.ts';
export type { ForbidTargetFn } from './url-fetch.policy.ts';
export {
  compileUrlFetchPolicy,
  urlFetchPolicyFromConfig,
  systemResolve,
  URL_FETCH_DEFAULTS,
  type UrlFetchPolicy,
  type CompiledUrlFetchPolicy,
  type ResolveFn,
  type ResolvedAddress,
  type TrustedCa,
} from './url-fetch.policy.ts';
export { classifyAddress, type NonPublic, type NonPublicKind } from './ip.ranges.ts';
export { parseIp, parseCidr } from './ip.address.ts';
