import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint, type Footprint } from '../../../apps/api/test/support/leftovers.ts';
import { basicAuth, startStack, type Stack } from '../../support/stack.ts';

/**
 * Hostile input across every dialect route: malformed multipart, invalid JSON, wrong JSON types,
 * bad data URLs and page selections, hostile filenames, random ids, bad auth and raw broken HTTP.
 * Every request here must be refused (or be a harmless read): never a 5xx (except the documented
 * 503 "not ready" of NIM/docTR, as no recognize worker runs), every 4xx in its dialect's error
 * shape, nothing left in Postgres or S3, and the API still alive at the end. The worker runs
 * ingest only, so unreadable documents are refused where they are in production and nothing is OCR'd.
 */

/** Fixed so a failure replays; fast-check prints the path to the counterexample. */
const SEED = 20_261_121;
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

type Dialect = 'nanonets' | 'mistral' | 'nim' | 'doctr';

interface Answer {
  status: number;
  text: string;
  /** The answer's content type ('' when none). */
  type?: string;
}

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** The dialect owning `path` once normalized as a client sends it (`/v1/files/..` is `/v1/`). */
function dialectOf(rawPath: string): Dialect | 'other' {
  const path = new URL(rawPath, 'http://x').pathname;
  if (path.startsWith('/api/v2')) return 'nanonets';
  if (path.startsWith('/v1/files') || path.startsWith('/v1/ocr')) return 'mistral';
  if (path.startsWith('/v1/infer')) return 'nim';
  if (path.startsWith('/ocr')) return 'doctr';
  return 'other';
}

/** Each char of `s` as one byte (garbage bytes are built as latin1 strings). */
const latin1 = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'latin1'));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `body` is not `dialect`'s error shape for `status`, or null when it is. */
function shapeProblem(dialect: Dialect | 'other', status: number, body: unknown): string | null {
  if (!isRecord(body)) return 'not a JSON object';
  switch (dialect) {
    case 'nanonets':
      return typeof body.message === 'string' && body.code === status && typeof body.error === 'string' ? null : 'not {message, code, error}';
    case 'mistral':
      if (status === 422) return Array.isArray(body.detail) && body.detail.length > 0 ? null : 'not {detail: [...]}';
      return body.object === 'error' && typeof body.message === 'string' && typeof body.type === 'string' ? null : 'not {object: "error", message, type}';
    case 'nim':
      return typeof body.error === 'string' ? null : 'not {error}';
    case 'doctr':
      return typeof body.detail === 'string' || Array.isArray(body.detail) ? null : 'not {detail}';
    case 'other':
      return isRecord(body.error) && typeof body.error.message === 'string' ? null : 'not {error: {message}}';
  }
}

/** The assertion every answer gets; returns a description of what is wrong, or null. */
function judge(path: string, answer: Answer): string | null {
  const dialect = dialectOf(path);
  const { status, text } = answer;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return status < 400 && dialect === 'mistral' && /\/content$/.test(path.split('?')[0] ?? '') ? null : `${status} body is not JSON: ${text.slice(0, 200)}`;
  }
  // The one documented 5xx: NIM and docTR say "not ready" while no recognize worker is connected.
  if (status === 503 && (dialect === 'nim' || dialect === 'doctr')) return shapeProblem(dialect, status, body);
  if (status >= 500) return `${status}: ${text.slice(0, 300)}`;
  if (status >= 400) {
    const problem = shapeProblem(dialect, status, body);
    return problem ? `${status} ${problem}: ${text.slice(0, 300)}` : null;
  }
  return null;
}

describe('hostile input: every route refuses cleanly', () => {
  let stack: Stack;
  let base = '';
  let port = 0;
  let key = '';
  let model = '';
  let before: Footprint;
  const counts = { requests: 0, refused: 0, notReady: 0, accepted: 0 };
  /** Answers by dialect and status, printed at the end to show what the fuzzing reached. */
  const seen = new Map<string, number>();
  const tally = (path: string, status: number) => {
    const k = `${dialectOf(path)} ${status}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  };

  /** Sends with fetch (which validates headers); bodies are built by hand. */
  async function send(req: HostileRequest): Promise<Answer> {
    const res = await fetch(`${base}${req.path}`, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: AbortSignal.timeout(20_000),
    });
    const answer = { status: res.status, text: await res.text() };
    tally(req.path, answer.status);
    counts.requests++;
    if (answer.status === 503) counts.notReady++;
    else if (answer.status >= 400) counts.refused++;
    else counts.accepted++;
    return answer;
  }

  async function expectRefusedCleanly(req: HostileRequest): Promise<Answer> {
    const answer = await send(req);
    const problem = judge(req.path, answer);
    if (problem) throw new Error(`${req.method} ${req.path.slice(0, 200)} → ${problem}`);
    return answer;
  }

  /** Writes raw bytes to the socket (for what fetch and node:http refuse to send); status line and body of the answer. */
  function rawExchange(raw: string | Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? socket.end() : reject(err)));
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        const split = text.indexOf('\r\n\r\n');
        const type = /\r\ncontent-type: *([^\r]*)/i.exec(split < 0 ? text : text.slice(0, split))?.[1] ?? '';
        counts.requests++;
        if (status >= 400) counts.refused++;
        resolve({ status, type, text: split < 0 ? '' : text.slice(split + 4) });
      });
      socket.write(raw);
      // Half-close: a truncated body then ends, the server answers what it can.
      socket.end();
    });
  }

  /** Footprint after the phase equals the one before (objects may be removed just after the answer). */
  async function expectNothingLeft(): Promise<void> {
    let after = await footprint(stack);
    for (let i = 0; i < 30 && JSON.stringify(after) !== JSON.stringify(before); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await footprint(stack);
    }
    expect(after).toEqual(before);
  }

  beforeAll(async () => {
    stack = await startStack({ SYNC_TIMEOUT_MS: '2000', LOG_LEVEL: 'fatal' });
    await stack.startWorker({ WORKER_QUEUES: 'ingest', LOG_LEVEL: 'fatal' });
    base = stack.api.url;
    port = Number(new URL(base).port);
    key = stack.dev.apiKey;
    model = stack.dev.modelId;
    before = await footprint(stack);
  }, 60_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.info(`hostile fuzz: ${JSON.stringify(counts)} ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    await stack?.close();
  });

  const auth = (path: string) => (dialectOf(path) === 'nanonets' ? basicAuth(key) : `Bearer ${key}`);

  // ---- shared arbitraries ---------------------------------------------------------------

  const randomId = fc.oneof(
    fc.constant(UNKNOWN_UUID),
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.constantFrom('..', '..%2F..%2Fetc%2Fpasswd', '%00', '%E0%A4%A', '%', '%%', '-1', '0', '1e309', 'null', 'undefined', '%20', 'x'.repeat(300)),
    fc.nat().map(String),
  );
  /** A path segment as a client might send it: usually encoded, sometimes raw-but-legal. */
  const segment = randomId.map((id) => (/^%|%[0-9A-F]{0,2}$|^[.]{2}%|%2F|%00|%20/i.test(id) ? id : encodeURIComponent(id)));

  const hostileFilename = fc.oneof(
    fc.constantFrom(
      '../../etc/passwd',
      '..\\..\\windows\\win.ini',
      'a\u0000b.pdf',
      '\u202Efdp.exe',
      '\u200F\u200Eمستند.pdf',
      'x'.repeat(300) + '.pdf',
      '',
      '.',
      '/',
      'CON',
      '"quoted".png',
      'semi;colon=.png',
      '😀'.repeat(80),
    ),
    fc.string({ maxLength: 300, unit: 'grapheme' }),
  );

  /** Bytes no sniffer accepts, or a document header over garbage (refused at ingest). */
  const garbageFile = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b).toString('latin1').replace(/^(%PDF|\x89PNG|\xFF\xD8|II\*|MM\x00)/, 'X')),
    fc.string({ maxLength: 200 }).map((s) => `%PDF-1.7\n${s}`),
    fc.constant(''),
    fc.constant('GIF89a'),
    fc.constant('<html><body>hi</body></html>'),
  );

  const badUrl = fc.constantFrom(
    'http://127.0.0.1:1/a.png',
    'http://10.0.0.1/a.pdf',
    'http://[::1]/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/',
    'http://user:pw@example.com/a.png',
    'ftp://example.com/a.pdf',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,hi',
    'not a url',
    '',
    'http://',
    'https://%zz/',
  );

  const badDataUrl = fc.oneof(
    fc.constantFrom('data:', 'data:,', 'data:image/png;base64,', 'data:image/png;base64,!!!!', 'data:image/png;base64,QUJD', 'data:text/html;base64,PGI+', 'data:image/gif;base64,R0lGODlh'),
    fc.string({ maxLength: 100 }).map((s) => `data:image/jpeg;base64,${s}`),
    fc.uint8Array({ maxLength: 200 }).map((b) => `data:application/pdf;base64,${Buffer.from(b).toString('base64')}`),
    fc.string({ maxLength: 60 }),
  );

  const badPages = fc.oneof(
    fc.integer({ min: -1_000_000, max: -1 }),
    fc.integer({ min: 1_000, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom('5-1', '-3', '1--2', 'a-b', '1,,2', '0-999999999', '∞', '', ' ', '1e9', 'NaN', '1.5', '2-', '-'),
    fc.string({ maxLength: 20 }),
    fc.array(fc.oneof(fc.integer({ min: -100, max: -1 }), fc.string({ maxLength: 5 }), fc.constant(null), fc.double())),
    fc.double(),
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer()),
  );

  /** Any JSON value except ones a schema might accept by chance for the field being fuzzed. */
  const wrongType = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 30 }),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  );

  // ---- 1. authentication ----------------------------------------------------------------

  const routes: Array<{ method: string; path: (id: string) => string }> = [
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/LabelFile/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/LabelFile/Async/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/LabelUrls/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/LabelUrls/Async/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/UploadFile/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/UploadUrls/` },
    { method: 'POST', path: () => `/api/v2/OCR/Model/${model}/Train/` },
    { method: 'GET', path: (id) => `/api/v2/Inferences/Model/${model}/InferenceRequest/${id}` },
    { method: 'GET', path: (id) => `/api/v2/Inferences/Model/${model}/InferenceRequest/${id}/page/${id}` },
    { method: 'GET', path: () => `/api/v2/Inferences/Model/${model}/InferenceRequest/?start_day_interval=1&current_batch_day=2` },
    { method: 'POST', path: () => '/v1/files' },
    { method: 'GET', path: () => '/v1/files' },
    { method: 'GET', path: (id) => `/v1/files/${id}` },
    { method: 'DELETE', path: (id) => `/v1/files/${id}` },
    { method: 'GET', path: (id) => `/v1/files/${id}/content` },
    { method: 'GET', path: (id) => `/v1/files/${id}/url` },
    { method: 'POST', path: (id) => `/v1/files/${id}/ocr` },
    { method: 'POST', path: () => '/v1/ocr' },
    { method: 'POST', path: () => '/v1/infer' },
    { method: 'POST', path: () => '/ocr' },
  ];
  const route = fc.constantFrom(...routes);

  const badAuth = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', 'Basic', 'Bearer', 'Basic ', 'Bearer ', 'Basic !!!', 'Basic =', 'Bearer null', 'Token abc', 'basic', 'Digest x=y', 'Bearer a b c'),
    fc.string({ maxLength: 200, unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 100 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
    fc.string({ maxLength: 100 }).map((s) => `Basic ${Buffer.from(`${s}:${s}`).toString('base64')}`),
    fc.constant('x').map(() => `Basic ${Buffer.from(`:${key}`).toString('base64')}`),
    fc.constant('x').map(() => `Bearer ${key}x`),
    fc.constant('x').map(() => `Bearer ${key.slice(0, -1)}`),
  );

  it('refuses every route without a valid key (401 in the dialect shape)', async () => {
    await fc.assert(
      fc.asyncProperty(route, segment, badAuth, async (r, id, authorization) => {
        const path = r.path(id);
        const answer = await expectRefusedCleanly({
          method: r.method,
          path,
          headers: authorization === undefined ? {} : { authorization },
          ...(r.method === 'POST' ? { body: '{}' } : {}),
        });
        // An undecodable id may be refused by routing before auth; everything else is a 401.
        if (answer.status !== 400 && answer.status !== 404) expect(answer.status).toBe(401);
      }),
      { numRuns: 250, seed: SEED },
    );
    await expectNothingLeft();
  }, 90_000);

  // ---- 2. multipart ---------------------------------------------------------------------

  const multipartRoutes = [
    { path: () => `/api/v2/OCR/Model/${model}/LabelFile/`, field: 'file', extra: ['request_metadata', 'async'] },
    { path: () => `/api/v2/OCR/Model/${model}/LabelFile/Async/`, field: 'file', extra: ['request_metadata', 'async'] },
    { path: () => `/api/v2/OCR/Model/${model}/UploadFile/`, field: 'file', extra: ['data'] },
    { path: () => '/v1/files', field: 'file', extra: ['purpose', 'expiry'] },
    { path: () => '/ocr', field: 'files', extra: [] },
  ];

  const part = (boundary: string, name: string, value: string, filename?: string, type?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n` +
    `${type ? `Content-Type: ${type}\r\n` : ''}\r\n${value}\r\n`;

  const multipartCase = fc.record({
    route: fc.constantFrom(...multipartRoutes),
    boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/),
    contentType: fc.constantFrom('good', 'no-boundary', 'wrong-boundary', 'quoted-empty', 'text/plain', 'none', 'json'),
    file: fc.option(fc.record({ filename: hostileFilename, bytes: garbageFile, type: fc.constantFrom('application/pdf', 'image/png', 'image/jpeg', 'text/plain', '', 'x/y') })),
    fields: fc.array(fc.tuple(fc.oneof(fc.constantFrom('request_metadata', 'async', 'data', 'purpose', 'expiry', 'files', 'file'), fc.string({ maxLength: 10 })), fc.oneof(fc.string({ maxLength: 50 }), fc.constant('x'.repeat(5000)), fc.constantFrom('-1', '999999', '{', '[]', 'null', 'true', 'maybe'))), { maxLength: 3 }),
    damage: fc.constantFrom('none', 'truncate', 'no-close', 'garbage-part', 'no-headers', 'lf-only'),
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    badModel: fc.boolean(),
  });

  it('refuses malformed multipart on every upload route', async () => {
    await fc.assert(
      fc.asyncProperty(multipartCase, async (c) => {
        const b = c.boundary;
        let body = c.fields.map(([k, v]) => part(b, k, v)).join('');
        // Garbage file bytes go through latin1 so each byte stays one byte.
        if (c.file) body += part(b, c.route.field, c.file.bytes, c.file.filename.replace(/[\r\n"]/g, '_'), c.file.type);
        if (c.damage === 'garbage-part') body += `--${b}\r\nthis is not a header\r\n\r\n\u0000\u0001\r\n`;
        if (c.damage === 'no-headers') body += `--${b}\r\n\r\nvalue\r\n`;
        if (c.damage !== 'no-close') body += `--${b}--\r\n`;
        if (c.damage === 'truncate') body = body.slice(0, Math.floor(body.length * c.cut));
        if (c.damage === 'lf-only') body = body.replace(/\r\n/g, '\n');
        const types: Record<string, string | undefined> = {
          good: `multipart/form-data; boundary=${b}`,
          'no-boundary': 'multipart/form-data',
          'wrong-boundary': `multipart/form-data; boundary=${b}x`,
          'quoted-empty': 'multipart/form-data; boundary=""',
          'text/plain': 'text/plain',
          none: undefined,
          json: 'application/json',
        };
        const contentType = types[c.contentType];
        let path = c.route.path();
        if (c.badModel && path.includes(model)) path = path.replace(model, UNKNOWN_UUID);
        const answer = await expectRefusedCleanly({
          method: 'POST',
          path,
          headers: { authorization: auth(path), ...(contentType ? { 'content-type': contentType } : {}) },
          body: latin1(body),
        });
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 300, seed: SEED },
    );
    await expectNothingLeft();
  }, 90_000);

  it('refuses a document header over garbage on every upload route (reaches the sniffer and ingest)', async () => {
    for (const r of multipartRoutes) {
      for (const [filename, type, bytes] of [
        ['../../etc/passwd', 'application/pdf', '%PDF-1.7\n1 0 obj <<>> garbage'],
        ['\u202Egnp.exe', 'image/png', '\x89PNG\r\n\x1a\n truncated'],
        ['x'.repeat(300), 'image/jpeg', '\xFF\xD8\xFF\xE0 truncated'],
      ] as const) {
        const path = r.path();
        const b = 'fuzzB0undary';
        const body = part(b, 'purpose', 'ocr') + part(b, 'data', '[]') + part(b, r.field, bytes, filename, type) + `--${b}--\r\n`;
        const answer = await expectRefusedCleanly({
          method: 'POST',
          path,
          headers: { authorization: auth(path), 'content-type': `multipart/form-data; boundary=${b}` },
          body: latin1(body),
        });
        // docTR says "not ready" first (no recognize worker); every other route refuses the document.
        if (path === '/ocr') expect(answer.status).toBe(503);
        else expect(answer.status >= 400 && answer.status < 500, `${path} ${type}: ${answer.status}`).toBe(true);
      }
    }
    await expectNothingLeft();
  }, 60_000);

  // ---- 3. JSON bodies -------------------------------------------------------------------

  const invalidJson = fc.oneof(
    fc.constantFrom('{', '}', '{"a":}', "{'a':1}", '[1,2', 'nul', 'NaN', '{"a":1}}', '\u0000', '{"urls":["a"],}', '\uFEFF{}', '"\\u12"'),
    fc.string({ maxLength: 100 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
  );

  const jsonCase = fc.oneof(
    // LabelUrls / UploadUrls: wrong types and refused URLs.
    fc.record({
      path: fc.constantFrom('LabelUrls/', 'LabelUrls/Async/', 'UploadUrls/', 'LabelUrls/?async=maybe').map((p) => `/api/v2/OCR/Model/\u0000/${p}`),
      body: fc.oneof(
        fc.record({ urls: fc.oneof(wrongType, fc.array(badUrl, { minLength: 1, maxLength: 3 }), badUrl), request_metadata: fc.option(wrongType), async: fc.option(wrongType), data: fc.option(wrongType) }, { requiredKeys: ['urls'] }),
        fc.record({ urls: fc.array(badUrl, { minLength: 101, maxLength: 120 }) }),
        fc.record({ urls: fc.array(badUrl, { minLength: 1, maxLength: 2 }), request_metadata: fc.constant('m'.repeat(20_000)) }),
        fc.record({ urls: fc.array(badUrl, { minLength: 1, maxLength: 2 }), data: fc.oneof(wrongType, fc.constant('{not json')) }),
        wrongType,
      ).map((v) => JSON.stringify(v)),
    }),
    // POST /v1/ocr: bad documents and page selections.
    fc.record({
      path: fc.constant('/v1/ocr'),
      body: fc.oneof(
        fc.record({ document: fc.oneof(wrongType, fc.record({ type: fc.constantFrom('document_url', 'image_url', 'content', 'file', 'file_id', 'x'), document_url: fc.oneof(badUrl, badDataUrl, wrongType), image_url: fc.oneof(badUrl, badDataUrl, wrongType, fc.record({ url: fc.oneof(badUrl, badDataUrl) })), document_content: fc.oneof(badDataUrl, wrongType), file_id: fc.oneof(fc.constant(UNKNOWN_UUID), fc.string({ maxLength: 40 }), wrongType) }, { requiredKeys: ['type'] })), model: fc.option(wrongType), pages: fc.option(badPages), include_image_base64: fc.option(wrongType), image_limit: fc.option(fc.oneof(wrongType, fc.integer({ max: -1 }))) }, { requiredKeys: ['document'] }),
        fc.record({ document: fc.constant({ type: 'file_id', file_id: UNKNOWN_UUID }), pages: badPages }),
        fc.record({ document: badDataUrl.map((u) => ({ type: 'document_url', document_url: u.startsWith('data:') ? u : `data:${u}` })) }),
        wrongType,
      ).map((v) => JSON.stringify(v)),
    }),
    // POST /v1/files/{id}/ocr: page selections, option types, ids.
    fc.record({
      path: segment.map((id) => `/v1/files/${id}/ocr`),
      body: fc.oneof(fc.record({ pages: badPages, image_limit: fc.option(wrongType), table_format: fc.option(wrongType) }), wrongType).map((v) => JSON.stringify(v)),
    }),
    // POST /v1/infer: refused as not ready before the body is read; the body still must not matter.
    fc.record({
      path: fc.constant('/v1/infer'),
      body: fc.oneof(fc.record({ input: fc.oneof(wrongType, fc.array(fc.record({ type: fc.oneof(fc.constant('image_url'), wrongType), url: fc.oneof(badDataUrl, wrongType) }), { maxLength: 3 })), merge_levels: fc.option(fc.oneof(wrongType, fc.array(fc.constantFrom('word', 'sentence', 'paragraph', 'page', ''), { maxLength: 5 }))) }), wrongType).map((v) => JSON.stringify(v)),
    }),
  );

  it('refuses invalid JSON and wrong JSON types on every JSON route', async () => {
    const jsonInput = fc.record({
      c: jsonCase,
      broken: fc.option(invalidJson, { freq: 4 }),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin-7'),
    });
    await fc.assert(
      fc.asyncProperty(jsonInput, async ({ c, broken, contentType }) => {
        const path = c.path.replace('/\u0000/', `/${model}/`);
        const form = contentType === 'application/x-www-form-urlencoded';
        // Form bodies: the same fields as `urls=...`, otherwise the raw (maybe broken) JSON.
        const body = broken ?? (form ? `urls=${encodeURIComponent(c.body)}&urls=%ZZ&async=` : c.body);
        const answer = await expectRefusedCleanly({ method: 'POST', path, headers: { authorization: auth(path), 'content-type': contentType }, body });
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 450, seed: SEED },
    );
    await expectNothingLeft();
  }, 90_000);

  // ---- 4. ids and query strings ---------------------------------------------------------

  const query = fc.dictionary(
    fc.oneof(fc.constantFrom('start_day_interval', 'current_batch_day', 'page', 'page_size', 'limit', 'after', 'expiry', 'search', 'purpose', 'include_total', 'async', 'sample_type', 'source'), fc.string({ maxLength: 8 })),
    fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constantFrom('-1', '1e400', '99999999999999999999', '', '[]', 'true', '%', '0x10', '1.5', 'Infinity')),
    { maxKeys: 4 },
  ).map((q) => Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

  it('answers random ids and query strings with a 4xx (or an empty read), never a 5xx', async () => {
    const readRoutes = fc.constantFrom(...routes.filter((r) => r.method !== 'POST' || r.path('x').endsWith('/Train/')));
    await fc.assert(
      fc.asyncProperty(readRoutes, segment, query, fc.boolean(), async (r, id, q, rawQuery) => {
        const path = r.path(id);
        // Some cases use the query raw, undecodable percent escapes included.
        const qs = rawQuery ? q.replace(/%2F/g, '%').replace(/%20/g, '%zz') : q;
        await expectRefusedCleanly({ method: r.method, path: `${path}${path.includes('?') ? '&' : '?'}${qs}`, headers: { authorization: auth(path) } });
      }),
      { numRuns: 350, seed: SEED },
    );
    await expectNothingLeft();
  }, 90_000);

  // ---- 5. headers and raw HTTP ----------------------------------------------------------

  it('survives huge headers and raw broken HTTP', async () => {
    const headerCase = fc.record({
      r: route,
      count: fc.integer({ min: 1, max: 60 }),
      size: fc.integer({ min: 1, max: 200 }),
      requestId: fc.string({ maxLength: 300, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
    });
    await fc.assert(
      fc.asyncProperty(headerCase, async ({ r, count, size, requestId }) => {
        // Under Node's 16 KiB header limit: 60 × 200 bytes at most.
        const headers: Record<string, string> = { authorization: 'Bearer nope', 'x-request-id': requestId };
        for (let i = 0; i < count; i++) headers[`x-junk-${i}`] = 'j'.repeat(size);
        const answer = await expectRefusedCleanly({ method: r.method, path: r.path(UNKNOWN_UUID), headers });
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 100, seed: SEED },
    );

    const rawCase = fc.record({
      r: route,
      kind: fc.constantFrom('bad-header-char', 'huge-header', 'bad-content-length', 'short-body', 'bad-chunked', 'no-host', 'bad-method', 'bad-version', 'utf8-header', 'valid-key-short-body'),
      n: fc.integer({ min: 1, max: 500 }),
    });
    await fc.assert(
      fc.asyncProperty(rawCase, async ({ r, kind, n }) => {
        const path = r.path(UNKNOWN_UUID);
        const head = (method: string, extra: string) => `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;
        const raws: Record<string, string | Buffer> = {
          'bad-header-char': head(r.method, 'X-Bad: a\u0000b\r\n'),
          'huge-header': head(r.method, `X-Huge: ${'h'.repeat(17_000 + n)}\r\n`),
          'bad-content-length': head('POST', 'Content-Length: -5\r\nContent-Type: application/json\r\n') + '{}',
          'short-body': head('POST', `Content-Length: ${n + 10}\r\nContent-Type: application/json\r\nAuthorization: Bearer x\r\n`) + '{"a":',
          'bad-chunked': head('POST', 'Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n') + 'zz\r\nabc\r\n',
          'no-host': `${r.method} ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`,
          'bad-method': head('BREW', ''),
          'bad-version': `${r.method} ${path} HTTP/9.9\r\nHost: x\r\n\r\n`,
          'utf8-header': Buffer.from(head(r.method, `Authorization: Bearer ключ${'é'.repeat(n % 50)}\r\n`), 'utf8'),
          'valid-key-short-body': head('POST', `Content-Length: ${n + 200}\r\nContent-Type: multipart/form-data; boundary=B\r\nAuthorization: ${auth(path)}\r\n`) + '--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7',
        };
        const answer = await rawExchange(raws[kind] as string | Buffer);
        // Node's own parser refuses some of these before Express: a bare 400/431/505 that is not JSON, or a closed socket.
        if (answer.status === 0 || ([400, 431, 505].includes(answer.status) && !answer.type?.includes('json'))) return;
        const problem = judge(path, answer);
        if (problem) throw new Error(`raw ${kind} ${path} → ${problem}`);
      }),
      { numRuns: 150, seed: SEED },
    );
    await expectNothingLeft();
  }, 90_000);

  it('still answers /v1/health/live after all of it', async () => {
    const res = await fetch(`${base}/v1/health/live`);
    expect(res.status).toBe(200);
    await expectNothingLeft();
    expect(counts.requests).toBeGreaterThan(1_400);
  });
});
