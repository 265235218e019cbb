/** Media types Folio can recognise from a file's first bytes. */
export type SniffedMime = 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/pdf';

/** Why a data URL was refused; each becomes a 4xx in the caller's dialect. */
export type DataUrlErrorReason =
  | 'not_data_url'
  | 'not_base64'
  | 'unsupported_media_type'
  | 'invalid_base64'
  | 'empty'
  | 'content_mismatch'
  | 'too_large';

export type DataUrlResult =
  | { ok: true; mime: SniffedMime; declaredMime: string; bytes: Buffer }
  | { ok: false; reason: DataUrlErrorReason; message: string };

export interface DataUrlOptions {
  /** Content types accepted, as sniffed from the bytes. @defaultValue `['image/png', 'image/jpeg']` */
  allowed?: readonly SniffedMime[];
  /**
   * When true the declared media type must equal the sniffed one. When false (default) a PNG
   * declared as `image/jpeg` passes, as long as both are allowed: NVIDIA's own NIM client example
   * labels every image `image/jpeg`.
   */
  strictType?: boolean;
  /** Largest decoded size accepted, in bytes. @defaultValue no limit */
  maxBytes?: number;
}

// Spellings seen in the wild for the types we accept (the NIM seed's own example says `img/png`).
const aliases: Record<string, SniffedMime> = {
  'image/png': 'image/png',
  'img/png': 'image/png',
  'image/x-png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'img/jpeg': 'image/jpeg',
  'img/jpg': 'image/jpeg',
  'image/tiff': 'image/tiff',
  'image/tif': 'image/tiff',
  'application/pdf': 'application/pdf',
};

const base64Body = /^[A-Za-z0-9+/]*={0,2}$/;

/** Recognises PNG, JPEG, TIFF and PDF by their magic bytes. */
export function sniffMime(bytes: Uint8Array): SniffedMime | undefined {
  const starts = (sig: readonly number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

const fail = (reason: DataUrlErrorReason, message: string): DataUrlResult => ({ ok: false, reason, message });

/**
 * Parses `data:<media-type>[;params];base64,<data>` strictly: the base64 must be canonical
 * (standard alphabet, correct padding, no whitespace), non-empty, and the decoded bytes must be one
 * of `allowed` by their magic bytes, whatever the declared type says.
 */
export function parseDataUrl(url: string, options: DataUrlOptions = {}): DataUrlResult {
  const allowed = options.allowed ?? ['image/png', 'image/jpeg'];
  if (!url.startsWith('data:')) return fail('not_data_url', 'The URL is not a data URL (it must start with "data:").');
  const comma = url.indexOf(',');
  if (comma < 0) return fail('not_data_url', 'The data URL has no "," between its header and its data.');
  const header = url.slice(5, comma);
  const params = header.split(';').map((p) => p.trim().toLowerCase());
  const declared = params[0] ?? '';
  if (params[params.length - 1] !== 'base64' || params.length < 2) {
    return fail('not_base64', 'The data URL must be base64-encoded: data:<media-type>;base64,<data>.');
  }
  if (declared === '') return fail('unsupported_media_type', 'The data URL has no media type.');
  const declaredMime = aliases[declared];
  if (declaredMime === undefined || !allowed.includes(declaredMime)) {
    return fail('unsupported_media_type', `Media type ${declared} is not accepted; use ${allowed.join(' or ')}.`);
  }
  const body = url.slice(comma + 1);
  if (body.length === 0) return fail('empty', 'The data URL carries no data.');
  if (body.length % 4 !== 0 || !base64Body.test(body)) {
    return fail('invalid_base64', 'The data URL body is not valid base64 (standard alphabet, padded, no whitespace).');
  }
  if (options.maxBytes !== undefined && (body.length / 4) * 3 - 2 > options.maxBytes) {
    return fail('too_large', `The decoded data is larger than ${options.maxBytes} bytes.`);
  }
  const bytes = Buffer.from(body, 'base64');
  // Node's decoder is lenient; a canonical encoding round-trips exactly (rejects stray padding bits).
  if (bytes.toString('base64') !== body) return fail('invalid_base64', 'The data URL body is not canonical base64.');
  if (bytes.length === 0) return fail('empty', 'The data URL carries no data.');
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    return fail('too_large', `The decoded data is ${bytes.length} bytes; the limit is ${options.maxBytes}.`);
  }
  const sniffed = sniffMime(bytes);
  if (sniffed === undefined || !allowed.includes(sniffed)) {
    return fail(
      'unsupported_media_type',
      `The data is not ${allowed.join(' or ')}${sniffed ? ` (it is ${sniffed})` : ''}.`,
    );
  }
  if (options.strictType && sniffed !== declaredMime) {
    return fail('content_mismatch', `The data URL says ${declaredMime} but the data is ${sniffed}.`);
  }
  return { ok: true, mime: sniffed, declaredMime: declared, bytes };
}
