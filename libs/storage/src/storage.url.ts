import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { StorageConfig } from './storage.config.ts';

/**
 * What a URL is to Folio's own storage:
 * - `foreign`: it does not point at Folio's storage endpoint (an ordinary URL input);
 * - `object`: a GET URL Folio presigned for `key`, its SigV4 signature recomputed with the
 *   configured credentials and still within its expiry;
 * - `refused`: it points at the storage endpoint but is not such a URL (another bucket, no or a
 *   wrong signature, expired, not a GET). It must never be fetched: the embedded S3 server checks
 *   no signatures, so fetching it would read any object of any organization.
 */
export type StorageUrlVerdict =
  | { kind: 'foreign' }
  | { kind: 'object'; key: string }
  | { kind: 'refused'; reason: StorageUrlRefusal };

export type StorageUrlRefusal = 'other_bucket' | 'unsigned' | 'bad_signature' | 'expired';

/** Presigned-URL clocks may differ a little; a URL dated further ahead than this is refused. */
const MAX_FUTURE_SKEW_MS = 15 * 60_000;

/**
 * Addresses that reach this machine: loopback, the unspecified addresses (a connect to 0.0.0.0 or
 * :: lands on the local host on Linux) and their IPv4-mapped IPv6 forms.
 */
const localAddresses = new BlockList();
localAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
localAddresses.addAddress('0.0.0.0', 'ipv4');
localAddresses.addAddress('::1', 'ipv6');
localAddresses.addAddress('::', 'ipv6');
localAddresses.addSubnet('::ffff:7f00:0', 104, 'ipv6');
localAddresses.addAddress('::ffff:0:0', 'ipv6');

/** True for `localhost` names and local addresses (the URL parser already wrote `127.1` or `2130706433` as 127.0.0.1). */
function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  return family !== 0 && localAddresses.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

function portOf(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
}

/** The same host as the endpoint: equal names, or both loopback (127.0.0.1 and localhost reach the same server). */
function sameHost(a: string, b: string): boolean {
  return a === b || (isLoopback(a) && isLoopback(b));
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
function sigv4Encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** `20261207T033000Z` as a Date, or null. */
function parseAmzDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, se));
}

/**
 * Builds the judge of URLs for one storage configuration. Path-style (`endpoint/bucket/key`) and
 * virtual-hosted (`bucket.endpoint/key`) URLs are recognised; without an endpoint, AWS's
 * `s3[.region].amazonaws.com` hosts are.
 */
export function storageUrlInspector(cfg: Pick<StorageConfig, 'endpoint' | 'region' | 'bucket' | 'accessKeyId' | 'secretAccessKey'>) {
  const endpoint = cfg.endpoint !== undefined ? new URL(cfg.endpoint) : undefined;
  const awsHosts = new Set([`s3.${cfg.region}.amazonaws.com`, 's3.amazonaws.com', `s3-${cfg.region}.amazonaws.com`]);

  /** Bucket and still-encoded key path, or null when the URL is not on the storage endpoint. */
  function locate(u: URL): { bucket: string; encodedKey: string } | null {
    const hostname = u.hostname.toLowerCase();
    const [, first = '', ...rest] = u.pathname.split('/');
    if (endpoint) {
      if (portOf(u) !== portOf(endpoint)) return null;
      const endpointHost = endpoint.hostname.toLowerCase();
      if (sameHost(hostname, endpointHost)) return { bucket: decodeURIComponent(first), encodedKey: rest.join('/') };
      if (hostname.endsWith(`.${endpointHost}`)) {
        return { bucket: hostname.slice(0, -endpointHost.length - 1), encodedKey: u.pathname.slice(1) };
      }
      return null;
    }
    if (awsHosts.has(hostname)) {
      // Another bucket on AWS is just another web server to Folio, fetched like any URL.
      return decodeURIComponent(first) === cfg.bucket ? { bucket: cfg.bucket, encodedKey: rest.join('/') } : null;
    }
    for (const h of awsHosts) if (hostname === `${cfg.bucket}.${h}`) return { bucket: cfg.bucket, encodedKey: u.pathname.slice(1) };
    return null;
  }

  /** True when the query carries a valid SigV4 signature of a GET of this URL by our credentials. */
  function signatureValid(u: URL, q: URLSearchParams, scope: string, amzDate: string): boolean {
    const [, date, region, service] = scope.split('/');
    if (q.get('X-Amz-SignedHeaders') !== 'host') return false;
    const canonicalQuery = [...q.entries()]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [sigv4Encode(k), sigv4Encode(v)] as const)
      .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    // S3 signs the path as sent (encoded once), not re-encoded.
    const canonicalRequest = ['GET', u.pathname, canonicalQuery, `host:${u.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
    const credentialScope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
    let key = hmac(`AWS4${cfg.secretAccessKey}`, date ?? '');
    for (const part of [region ?? '', service ?? '', 'aws4_request']) key = hmac(key, part);
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
    const given = Buffer.from(q.get('X-Amz-Signature') ?? '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function inspect(url: string, now: Date = new Date()): StorageUrlVerdict {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { kind: 'foreign' };
    }
    const at = locate(u);
    if (!at) return { kind: 'foreign' };
    if (at.bucket !== cfg.bucket) return { kind: 'refused', reason: 'other_bucket' };
    const q = u.searchParams;
    const credential = q.get('X-Amz-Credential') ?? '';
    const amzDate = q.get('X-Amz-Date') ?? '';
    const expires = Number(q.get('X-Amz-Expires') ?? 'NaN');
    const signedAt = parseAmzDate(amzDate);
    const slash = credential.indexOf('/');
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || slash < 0 || !signedAt || !Number.isInteger(expires) || !q.has('X-Amz-Signature')) {
      return { kind: 'refused', reason: 'unsigned' };
    }
    const scope = credential.slice(slash);
    if (credential.slice(0, slash) !== cfg.accessKeyId || !scope.startsWith(`/${amzDate.slice(0, 8)}/`) || !scope.endsWith('/s3/aws4_request')) {
      return { kind: 'refused', reason: 'bad_signature' };
    }
    if (!signatureValid(u, q, scope, amzDate)) return { kind: 'refused', reason: 'bad_signature' };
    if (signedAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS || signedAt.getTime() + expires * 1000 <= now.getTime()) {
      return { kind: 'refused', reason: 'expired' };
    }
    let key: string;
    try {
      key = at.encodedKey.split('/').map(decodeURIComponent).join('/');
    } catch {
      return { kind: 'refused', reason: 'bad_signature' };
    }
    return { kind: 'object', key };
  }

  /**
   * True when fetching `url` by connecting to `address` would reach this storage: a URL the judge
   * does not call foreign, or the endpoint's port on the endpoint's address (any local address
   * when the endpoint is loopback, as the embedded S3 server is). For the URL fetcher's
   * `forbidTarget`, so a redirect or a host name that resolves to the endpoint is not fetched either.
   */
  function reaches(url: URL, address: string): boolean {
    if (inspect(url.href).kind !== 'foreign') return true;
    if (!endpoint || portOf(url) !== portOf(endpoint)) return false;
    const endpointHost = endpoint.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return address === endpointHost || (isLoopback(endpointHost) && isLoopback(address));
  }

  return { inspect, reaches };
}
