import type { IncomingMessage } from 'node:http';
import { deliverBody, type UrlFetchSink } from './url-fetch.body.ts';
import { checkUrl, resolveAndCheck } from './url-fetch.check.ts';
import { Deadline } from './url-fetch.deadline.ts';
import { UrlFetchError } from './url-fetch.errors.ts';
import { compileUrlFetchPolicy, type CompiledUrlFetchPolicy, type UrlFetchPolicy } from './url-fetch.policy.ts';
import { requestOnce } from './url-fetch.request.ts';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Says which hop failed, so "redirect refused" is not mistaken for the client's own URL. */
function onRedirect(err: unknown, hops: number): unknown {
  if (hops === 0 || !(err instanceof UrlFetchError)) return err;
  if (err.code !== 'invalid_url' && err.code !== 'forbidden_address' && err.code !== 'unreachable') return err;
  return new UrlFetchError(err.code, `redirect refused: ${err.message}`, {
    cause: err,
    ...(err.address === undefined ? {} : { address: err.address }),
  });
}

/**
 * Follows redirects by hand, checking scheme, credentials, DNS answers and address ranges
 * again at every hop, and returns the first 2xx response.
 */
async function openFinalResponse(
  start: URL,
  policy: CompiledUrlFetchPolicy,
  signal: AbortSignal,
): Promise<{ res: IncomingMessage; url: URL }> {
  let url = start;
  for (let hops = 0; ; hops++) {
    let res: IncomingMessage;
    try {
      const target = await resolveAndCheck(url, policy, signal);
      res = await requestOnce(target, policy, signal);
    } catch (err) {
      throw onRedirect(err, hops);
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return { res, url };
    // Neither redirect nor error bodies are read: they are not what was asked for.
    res.destroy();
    if (!REDIRECT_STATUSES.has(status)) {
      const text = res.statusMessage ? ` ${res.statusMessage}` : '';
      throw new UrlFetchError('http_status', `${url.host} answered HTTP ${status}${text}`, { status });
    }
    const location = res.headers.location;
    if (!location) {
      throw new UrlFetchError('http_status', `${url.host} answered HTTP ${status} without a Location header`, { status });
    }
    if (hops >= policy.maxRedirects) {
      throw new UrlFetchError('too_many_redirects', `more than ${policy.maxRedirects} redirects`);
    }
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      throw new UrlFetchError('invalid_url', `redirect refused: ${url.host} redirected to an invalid URL`);
    }
    try {
      url = checkUrl(next, policy);
    } catch (err) {
      throw onRedirect(err, hops + 1);
    }
  }
}

/**
 * Downloads an http(s) URL into `sink` (e.g. `storage.putStream`) without letting it reach
 * private networks: every hop's host is resolved here, every address checked against the
 * non-public ranges (minus `policy.allowPrivate`), and the connection pinned to the checked
 * addresses while Host and TLS server name stay the original name. Redirects are followed by
 * hand (at most `maxRedirects`), each re-checked. The body stream errors with a `too_large`
 * UrlFetchError past `maxBytes`; a Content-Length over it is refused before the sink is called.
 * `timeoutMs` bounds everything up to the last body byte (not the sink's own upload after it).
 *
 * @returns what the sink returns.
 * @throws UrlFetchError for every failure on the fetching side, even when the sink rejects
 *   in its own words because of it; the sink's own errors otherwise.
 */
export async function fetchUrlToStorage<T>(
  url: string,
  sink: UrlFetchSink<T>,
  policy: UrlFetchPolicy | CompiledUrlFetchPolicy = {},
): Promise<T> {
  const p = compileUrlFetchPolicy(policy);
  const start = checkUrl(url, p);
  const deadline = new Deadline(p.timeoutMs, `fetching ${start.host}`);
  try {
    const { res, url: finalUrl } = await openFinalResponse(start, p, deadline.signal);
    return await deliverBody(res, finalUrl, sink, p.maxBytes, deadline);
  } finally {
    deadline.clear();
  }
}
