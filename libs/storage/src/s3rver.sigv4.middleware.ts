import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type S3rver from 's3rver';

type Middleware = S3rver['middleware'][number];

/** An access key pair requests must be signed with. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a SigV4 check needs of a request, as it arrived (raw, still percent-encoded URL). */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/folio/orgs%2Fa?X-Amz-Date=…`. */
  url: string;
  /** Header names lowercased, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
}

/** Why a request was refused; `code` is S3's error code. */
export interface SigV4Refusal {
  code: 'AccessDenied' | 'SignatureDoesNotMatch' | 'InvalidAccessKeyId' | 'RequestTimeTooSkewed' | 'AuthorizationHeaderMalformed';
  message: string;
}

/** Largest allowed clock difference for header-signed requests (S3's own: 15 min). */
const MAX_SKEW_MS = 15 * 60_000;
/** Longest presigned URL lifetime S3 accepts: one week. */
const MAX_EXPIRES_S = 604_800;
const ALGORITHM = 'AWS4-HMAC-SHA256';

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves `!'()*` alone). */
function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeSafe(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20250101T000000Z` as epoch ms, or NaN. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

const refuse = (code: SigV4Refusal['code'], message: string): SigV4Refusal => ({ code, message });

/**
 * Checks an S3 request's AWS Signature Version 4 — header (`Authorization: AWS4-HMAC-SHA256 …`)
 * or presigned query (`X-Amz-Signature`, with `X-Amz-Expires` enforced) — against `accepted`
 * key pairs. Returns null when the signature is valid, else why not. Unsigned requests and
 * SigV2 are refused: the embedded S3 serves only holders of Folio's own credentials and the
 * URLs Folio presigned. The payload hash is taken as the client declared it (signed, not re-hashed).
 */
export function verifySigV4(req: SignedRequest, accepted: readonly S3Credentials[], now = Date.now()): SigV4Refusal | null {
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const pairs: Array<[string, string]> = [];
  for (const part of (q === -1 ? '' : req.url.slice(q + 1)).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeSafe(eq === -1 ? part : part.slice(0, eq));
    const v = decodeSafe(eq === -1 ? '' : part.slice(eq + 1));
    if (k === undefined || v === undefined) return refuse('AccessDenied', 'Malformed query string.');
    pairs.push([k, v]);
  }
  const query = new Map(pairs);
  const authorization = header(req.headers, 'authorization');
  const presigned = query.has('X-Amz-Signature');
  if (authorization !== undefined && presigned) return refuse('AccessDenied', 'Only one auth mechanism allowed.');

  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (presigned) {
    if (query.get('X-Amz-Algorithm') !== ALGORITHM) return refuse('AccessDenied', `X-Amz-Algorithm must be ${ALGORITHM}.`);
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date') ?? '';
    const expires = Number(query.get('X-Amz-Expires'));
    const signedAt = parseAmzDate(amzDate);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S || Number.isNaN(signedAt)) {
      return refuse('AccessDenied', 'X-Amz-Date and X-Amz-Expires (1 s to 7 days) are required.');
    }
    if (now > signedAt + expires * 1000) return refuse('AccessDenied', 'Request has expired.');
    if (signedAt - now > MAX_SKEW_MS) return refuse('RequestTimeTooSkewed', 'X-Amz-Date is in the future.');
    payloadHash = query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  } else if (authorization !== undefined) {
    const m = /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/.exec(authorization.trim());
    if (!m) return refuse('AuthorizationHeaderMalformed', `Only ${ALGORITHM} Authorization headers are accepted.`);
    [credential, signedHeaders, signature] = [m[1] as string, m[2] as string, m[3] as string];
    amzDate = header(req.headers, 'x-amz-date') ?? '';
    const signedAt = parseAmzDate(amzDate);
    if (Number.isNaN(signedAt)) return refuse('AccessDenied', 'x-amz-date is required.');
    if (Math.abs(now - signedAt) > MAX_SKEW_MS) return refuse('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const declared = header(req.headers, 'x-amz-content-sha256');
    if (declared === undefined) return refuse('AccessDenied', 'x-amz-content-sha256 is required.');
    payloadHash = declared;
  } else {
    return refuse('AccessDenied', 'Anonymous access is not allowed: sign the request or use a presigned URL.');
  }

  const [accessKeyId, date, region, service, terminator, ...extra] = credential.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request' || extra.length > 0 || !amzDate.startsWith(date)) {
    return refuse('AuthorizationHeaderMalformed', 'Malformed credential scope.');
  }
  const account = accepted.find((c) => c.accessKeyId === accessKeyId);
  if (!account) return refuse('InvalidAccessKeyId', 'The access key id is not known here.');
  const names = signedHeaders.split(';');
  if (!names.includes('host') || names.some((n) => n !== n.toLowerCase())) return refuse('AuthorizationHeaderMalformed', 'SignedHeaders must include host.');

  const canonicalQuery = pairs
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = names.map((n) => `${n}:${(header(req.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method.toUpperCase(), rawPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${account.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return null;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Refuses (403, S3's XML error) every request to the embedded S3 that is not SigV4-signed with
 * one of `accepted`, before s3rver (which checks no SigV4 signature at all) sees it. CORS
 * preflights pass: they carry no credentials and touch no object.
 */
export function sigV4Middleware(accepted: readonly S3Credentials[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS') return next();
    const refusal = verifySigV4({ method: ctx.method, url: ctx.originalUrl, headers: ctx.headers }, accepted);
    if (refusal === null) return next();
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error>`;
  };
}
