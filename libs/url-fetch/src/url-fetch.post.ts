import type { IncomingMessage } from 'node:http';
import { checkUrl, resolveAndCheck } from './url-fetch.check.ts';
import { Deadline } from './url-fetch.deadline.ts';
import { compileUrlFetchPolicy, type CompiledUrlFetchPolicy, type UrlFetchPolicy } from './url-fetch.policy.ts';
import { requestOnce } from './url-fetch.request.ts';

/** Bytes of the answer kept for logs (a receiver's error page, say). */
const KEPT_BYTES = 1_024;

/** How a receiver answered a POST. */
export interface PostResult {
  /** HTTP status; 3xx is returned as is (redirects are not followed). */
  status: number;
  /** The first KiB of the answer, as UTF-8. */
  body: string;
}

function readHead(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const finish = () => {
      signal.removeEventListener('abort', finish);
      res.destroy();
      resolve(Buffer.concat(chunks).subarray(0, KEPT_BYTES).toString('utf8'));
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      kept += chunk.length;
      if (kept >= KEPT_BYTES) finish();
    });
    res.once('end', finish);
    res.once('error', finish);
    signal.addEventListener('abort', finish, { once: true });
  });
}

/**
 * POSTs `body` to an http(s) URL under the same SSRF rules as {@link fetchUrlToStorage}: the
 * host is resolved here, every address checked against the non-public ranges (minus
 * `policy.allowPrivate`), and the connection pinned to the checked addresses. Redirects are not
 * followed (a webhook receiver that moved must be updated, not chased). `policy.timeoutMs`
 * bounds everything up to the answer's status line.
 * @throws UrlFetchError `invalid_url`, `forbidden_address`, `timeout` or `unreachable`.
 */
export async function postToUrl(
  url: string,
  init: { body: string | Uint8Array; headers?: Record<string, string> },
  policy: UrlFetchPolicy | CompiledUrlFetchPolicy = {},
): Promise<PostResult> {
  const p = compileUrlFetchPolicy(policy);
  const start = checkUrl(url, p);
  const deadline = new Deadline(p.timeoutMs, `posting to ${start.host}`);
  try {
    const target = await resolveAndCheck(start, p, deadline.signal);
    const res = await requestOnce(target, p, deadline.signal, { method: 'POST', body: init.body, ...(init.headers ? { headers: init.headers } : {}) });
    return { status: res.statusCode ?? 0, body: await readHead(res, deadline.signal) };
  } finally {
    deadline.clear();
  }
}
