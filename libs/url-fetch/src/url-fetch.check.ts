import { formatIp, parseIp, type IpBytes } from './ip.address.ts';
import { classifyAddress, isAllowed, type NonPublic } from './ip.ranges.ts';
import { raceSignal } from './url-fetch.deadline.ts';
import { UrlFetchError } from './url-fetch.errors.ts';
import {
  compileUrlFetchPolicy,
  type CompiledUrlFetchPolicy,
  type ResolvedAddress,
  type UrlFetchPolicy,
} from './url-fetch.policy.ts';

/** Longest URL accepted (presigned and SAS URLs run to a few KB). */
export const MAX_URL_LENGTH = 8192;

const LOOPBACK_V4 = Uint8Array.of(127, 0, 0, 1);

/** Where one hop connects: the name for Host/SNI and the checked addresses to dial. */
export interface PinnedTarget {
  url: URL;
  /** Host name without IPv6 brackets. */
  hostname: string;
  /** Every address is public or allowed; the connection may use only these. */
  addresses: ResolvedAddress[];
}

/** The URL's host without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** `localhost` and `*.localhost` always mean loopback (RFC 6761), whatever DNS says. */
function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

function describe(np: NonPublic): string {
  const article = /^[aeiou]/.test(np.kind) ? 'an' : 'a';
  const via = np.via ? ` (${np.via} IPv6)` : '';
  return `${article} ${np.kind} address${via}`;
}

function refusal(addr: IpBytes, policy: CompiledUrlFetchPolicy): NonPublic | null {
  const np = classifyAddress(addr);
  return np && !isAllowed(addr, policy.allow) ? np : null;
}

/**
 * Refuses what can be refused without the network: not an absolute http(s) URL, credentials
 * in it, a literal IP that is not public (unless allowed), `localhost`. Call it before queuing
 * a URL input; the fetch checks again at every hop, after DNS.
 * @returns the parsed URL.
 * @throws UrlFetchError `invalid_url` or `forbidden_address`.
 */
export function checkUrl(input: string, policy: UrlFetchPolicy | CompiledUrlFetchPolicy = {}): URL {
  const p = compileUrlFetchPolicy(policy);
  if (typeof input !== 'string' || input.trim() === '') throw new UrlFetchError('invalid_url', 'URL is empty');
  if (input.length > MAX_URL_LENGTH) {
    throw new UrlFetchError('invalid_url', `URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UrlFetchError('invalid_url', 'URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlFetchError('invalid_url', `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlFetchError('invalid_url', 'URLs with credentials (user:password@host) are not accepted');
  }
  const host = bareHostname(url);
  if (host === '') throw new UrlFetchError('invalid_url', 'URL has no host');
  // WHATWG parsing already turned 0x7f.1, 2130706433 and 0177.0.0.1 into 127.0.0.1.
  const literal = parseIp(host);
  if (literal) {
    const np = refusal(literal, p);
    if (np) throw new UrlFetchError('forbidden_address', `URL host ${host} is ${describe(np)} and may not be fetched`);
  } else if (isLocalhostName(host) && refusal(LOOPBACK_V4, p)) {
    throw new UrlFetchError('forbidden_address', `URL host ${host} is a loopback name and may not be fetched`);
  }
  return url;
}

/**
 * Resolves the URL's host (literal IPs skip DNS) and checks EVERY address: one non-public,
 * non-allowed address refuses the host, since a later connection might pick it.
 * @throws UrlFetchError `forbidden_address`, `unreachable` (no such host), or the signal's reason.
 */
export async function resolveAndCheck(
  url: URL,
  policy: CompiledUrlFetchPolicy,
  signal: AbortSignal,
): Promise<PinnedTarget> {
  const hostname = bareHostname(url);
  const literal = parseIp(hostname);
  const forbid = (address: string) => {
    if (policy.forbidTarget?.(url, address)) {
      throw new UrlFetchError('forbidden_address', `URL host ${hostname} is Folio's own storage and is never fetched`, { address });
    }
  };
  if (literal) {
    forbid(hostname);
    const np = refusal(literal, policy);
    if (np) throw new UrlFetchError('forbidden_address', `URL host ${hostname} is ${describe(np)} and may not be fetched`);
    return { url, hostname, addresses: [{ address: hostname, family: literal.length === 4 ? 4 : 6 }] };
  }
  let found: ResolvedAddress[];
  try {
    found = await raceSignal(policy.resolve(hostname), signal);
  } catch (err) {
    if (signal.aborted) throw signal.reason as Error;
    throw new UrlFetchError('unreachable', `could not resolve host ${hostname}`, { cause: err });
  }
  if (found.length === 0) throw new UrlFetchError('unreachable', `host ${hostname} has no addresses`);
  const addresses: ResolvedAddress[] = [];
  for (const entry of found) {
    const bytes = parseIp(entry.address);
    if (!bytes) throw new UrlFetchError('unreachable', `could not resolve host ${hostname}`);
    const np = refusal(bytes, policy);
    if (np) {
      throw new UrlFetchError('forbidden_address', `URL host ${hostname} resolves to ${describe(np)} and may not be fetched`, {
        address: formatIp(bytes),
      });
    }
    forbid(entry.address);
    addresses.push({ address: entry.address, family: bytes.length === 4 ? 4 : 6 });
  }
  return { url, hostname, addresses };
}
