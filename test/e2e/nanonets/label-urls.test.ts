import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer, type FileServer } from '../../../apps/api/test/support/file-server.ts';
import { leavesNothing } from '../../../apps/api/test/support/leftovers.ts';
import { nanonetsHttp, today, type NanonetsHttp } from '../../../apps/api/test/support/nanonets.http.ts';
import { openApiValidator, type OpenApiValidator } from '../../../apps/api/test/support/openapi.validator.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

interface PredictionPage {
  message: string;
  input: string;
  request_file_id: string;
  id: string;
  request_metadata: string;
  processing_type: string;
  size: { width: number; height: number };
  prediction: Array<{ ocr_text: string; page_no: number }>;
}
interface Accepted {
  message: string;
  result: Array<{ request_file_id: string; status: string; processing_type: string; request_metadata: string }>;
}
interface ModeratedPage {
  id: string;
  url?: string;
  day_since_epoch: number;
  request_file_id: string;
  predicted_boxes: Array<{ ocr_text: string }>;
}
interface Moderated {
  status?: string;
  moderated_images_count: number;
  unmoderated_images_count: number;
  moderated_images: ModeratedPage[];
  unmoderated_images: ModeratedPage[];
  signed_urls: Record<string, Record<string, string>>;
}
interface ErrorBody {
  message: string;
  code: number;
  error: string;
  reason?: string;
}

const text = (boxes: Array<{ ocr_text: string }>) => boxes.map((b) => b.ocr_text.toLowerCase()).join(' ');

describe('Nanonets LabelUrls, day window and tenants (real API, worker and engine, local URL server)', () => {
  let stack: Stack;
  let files: FileServer;
  let api: NanonetsHttp;
  let openapi: OpenApiValidator;
  let model: string;
  const other = { key: '', model: '' };
  /** request_file_ids that completed, with their page count. */
  const completed: string[] = [];

  beforeAll(async () => {
    const [receipt, ticket, memo] = await Promise.all([
      makeTextPng(['Corner shop receipt', 'Coffee 3.50']),
      makeTextPng(['Train ticket Lyon']),
      makeTextPng(['Memo for the team']),
    ]);
    files = await startFileServer({
      '/receipt.png': { body: receipt, type: 'image/png' },
      '/ticket.png': { body: ticket, type: 'image/png' },
      '/memo.png': { body: memo, type: 'image/png' },
      '/memo%E0%A4%A.png': { body: memo, type: 'image/png' },
      '/long.pdf': { body: makeTextPdf([['one'], ['two'], ['three'], ['four']]), type: 'application/pdf' },
      '/notes.txt': { body: Buffer.from('plain text, not a document'), type: 'text/plain' },
      '/metadata': { redirect: 'http://169.254.169.254/latest/meta-data/' },
      '/boom': { status: 500 },
    });
    // The URL server runs on loopback: allow it (only it) as the deployment setting would.
    stack = await startStack({ URL_ALLOW_PRIVATE: '127.0.0.0/8' });
    await stack.startWorker();
    api = nanonetsHttp(stack.api.url, stack.dev.apiKey);
    openapi = await openApiValidator(stack.api.url);
    model = stack.dev.modelId;
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    other.key = (await stack.db.apiKeys.create(org.id)).plaintext;
    other.model = (await stack.db.models.create({ orgId: org.id, name: 'Other model' })).id;
  });
  afterAll(async () => {
    await stack?.close();
    await files?.close();
  });

  const waitDone = (id: string) =>
    eventually(
      async () => {
        const res = await api.get<Moderated>(`/Inferences/Model/${model}/InferenceRequest/${id}`);
        expect(res.status).toBe(200);
        return res.body.status === 'complete' ? res.body : undefined;
      },
      120_000,
      `file ${id}`,
    );

  it('LabelUrls sync (form-urlencoded) answers the predictions and echoes request_metadata', async () => {
    const res = await api.postForm<{ message: string; result: PredictionPage[] }>(`/OCR/Model/${model}/LabelUrls/`, {
      urls: `${files.url}/receipt.png`,
      request_metadata: 'ref-7',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsLabelUrls', 200, res.body)).toEqual([]);
    expect(res.body.message).toBe('Success');
    const [page] = res.body.result;
    expect(page).toMatchObject({ message: 'Success', input: 'receipt.png', request_metadata: 'ref-7', processing_type: '' });
    expect(page!.size.width).toBeGreaterThan(0);
    expect(text(page!.prediction)).toMatch(/coffee/);
    const row = await stack.db.files.findById(page!.request_file_id);
    expect(row).toMatchObject({ source: 'URL', sourceUrl: `${files.url}/receipt.png`, status: 'COMPLETE' });
    completed.push(page!.request_file_id);
  });

  it('LabelUrls/Async/ (JSON) and LabelUrls/?async=true (form) answer ids to poll, then the results', async () => {
    const viaRoute = await api.postJson<Accepted>(`/OCR/Model/${model}/LabelUrls/Async/`, { urls: [`${files.url}/ticket.png`] });
    expect(viaRoute.status, JSON.stringify(viaRoute.body)).toBe(200);
    expect(openapi.check('nanonetsLabelUrlsAsync', 200, viaRoute.body)).toEqual([]);
    const viaQuery = await api.postForm<Accepted>(`/OCR/Model/${model}/LabelUrls/?async=true`, { urls: [`${files.url}/memo.png`], request_metadata: 'q' });
    expect(viaQuery.status).toBe(200);
    expect(openapi.check('nanonetsLabelUrls', 200, viaQuery.body)).toEqual([]);
    for (const accepted of [viaRoute.body, viaQuery.body]) {
      expect(accepted.result).toHaveLength(1);
      expect(accepted.result[0]).toMatchObject({ processing_type: 'async' });
      expect(['queued', 'processing']).toContain(accepted.result[0]!.status);
    }
    expect(viaQuery.body.result[0]!.request_metadata).toBe('q');

    const ticket = await waitDone(viaRoute.body.result[0]!.request_file_id);
    expect(text(ticket.unmoderated_images[0]!.predicted_boxes)).toMatch(/ticket/);
    const memo = await waitDone(viaQuery.body.result[0]!.request_file_id);
    expect(text(memo.unmoderated_images[0]!.predicted_boxes)).toMatch(/memo/);
    expect(openapi.check('nanonetsGetFile', 200, memo)).toEqual([]);
    completed.push(viaRoute.body.result[0]!.request_file_id, viaQuery.body.result[0]!.request_file_id);
  });

  describe('sync requests that cannot be answered fail whole and leave nothing behind', () => {
    const cases: Array<[string, () => Record<string, string | string[]>, number, string, RegExp]> = [
      ['more pages than sync allows', () => ({ urls: `${files.url}/long.pdf` }), 400, 'sync_page_limit', /4 pages; sync requests accept at most 3.*LabelUrls\/Async\//],
      ['a URL answering 404', () => ({ urls: `${files.url}/missing.png` }), 422, 'url_http_status', /HTTP 404/],
      ['a redirect to the metadata address', () => ({ urls: `${files.url}/metadata` }), 422, 'url_forbidden_address', /redirect refused/],
      ['a good URL next to a text file', () => ({ urls: [`${files.url}/receipt.png`, `${files.url}/notes.txt`] }), 415, 'unsupported_type', /./],
      ['the metadata address itself', () => ({ urls: 'http://169.254.169.254/latest/meta-data/' }), 400, 'url_forbidden_address', /link-local/],
    ];
    for (const [name, form, status, reason, message] of cases) {
      it(`${status} for ${name}`, async () => {
        const { result, before, after } = await leavesNothing(stack, () => api.postForm<ErrorBody>(`/OCR/Model/${model}/LabelUrls/`, form()));
        expect(result.status, JSON.stringify(result.body)).toBe(status);
        expect(result.body).toMatchObject({ code: status, reason });
        expect(result.body.message).toMatch(message);
        expect(openapi.check('nanonetsLabelUrls', status, result.body)).toEqual([]);
        // The good sibling may have been rendering when the request was refused (see the docTR test's note).
        const originals = (keys: string[]) => keys.filter((k) => !/\/pages\/\d+\.png$/.test(k));
        expect({ ...after, objects: originals(after.objects) }).toEqual({ ...before, objects: originals(before.objects) });
      });
    }

    it('400 naming LabelFile/Async/ for a long document sent to sync LabelFile', async () => {
      const pdf = makeTextPdf([['a'], ['b'], ['c'], ['d']]);
      const { result, before, after } = await leavesNothing(stack, () =>
        api.postMultipart<ErrorBody>(`/OCR/Model/${model}/LabelFile/`, [{ name: 'long.pdf', bytes: pdf, type: 'application/pdf' }]),
      );
      expect(result.status).toBe(400);
      expect(result.body.message).toMatch(/LabelFile\/Async\//);
      expect(openapi.check('nanonetsLabelFile', 400, result.body)).toEqual([]);
      expect(after).toEqual(before);
    });
  });

  describe('bad requests', () => {
    const cases: Array<[string, () => Promise<{ status: number; body: unknown }>, number]> = [
      ['no urls', () => api.postForm(`/OCR/Model/${model}/LabelUrls/`, { request_metadata: 'x' }), 400],
      ['an ftp URL', () => api.postJson(`/OCR/Model/${model}/LabelUrls/`, { urls: ['ftp://example.com/a.png'] }), 400],
      ['malformed JSON', () => api.postJson(`/OCR/Model/${model}/LabelUrls/`, undefined, '{"urls": ['), 400],
      ['101 URLs', () => api.postJson(`/OCR/Model/${model}/LabelUrls/`, { urls: Array.from({ length: 101 }, (_, i) => `${files.url}/${i}.png`) }), 400],
      ['an unknown model', () => api.postForm(`/OCR/Model/00000000-0000-4000-8000-000000000000/LabelUrls/`, { urls: `${files.url}/receipt.png` }), 404],
      ['a model id that is not a uuid', () => api.postForm(`/OCR/Model/not-a-model/LabelUrls/Async/`, { urls: `${files.url}/receipt.png` }), 404],
      ['no key', () => nanonetsHttp(stack.api.url, null).postForm(`/OCR/Model/${model}/LabelUrls/`, { urls: `${files.url}/receipt.png` }), 401],
    ];
    for (const [name, request, status] of cases) {
      it(`${status} for ${name}, nothing recorded or fetched`, async () => {
        const hits = files.hits.length;
        const { result, before, after } = await leavesNothing(stack, request);
        expect(result.status).toBe(status);
        expect(result.body).toMatchObject({ code: status, message: expect.any(String) });
        expect(openapi.check('nanonetsLabelUrls', status, result.body)).toEqual([]);
        expect(after).toEqual(before);
        expect(files.hits.length).toBe(hits);
      });
    }
  });

  it('lists the pages of a day window, bucketed, with counts and working signed URLs', async () => {
    expect(completed).toHaveLength(3);
    const day = today();
    const res = await api.get<Moderated & { start_day: number; end_day: number }>(
      `/Inferences/Model/${model}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsListFiles', 200, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ moderated_images_count: 0, unmoderated_images_count: 3, start_day: day - 1, end_day: day });
    expect(new Set(res.body.unmoderated_images.map((p) => p.request_file_id))).toEqual(new Set(completed));
    expect(res.body.unmoderated_images.every((p) => p.day_since_epoch === day)).toBe(true);
    expect(text(res.body.unmoderated_images.flatMap((p) => p.predicted_boxes))).toMatch(/coffee.*ticket.*memo/);
    expect(Object.keys(res.body.signed_urls).length).toBeGreaterThanOrEqual(3);
    const image = await fetch(res.body.unmoderated_images[0]!.url!);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    // A start day (≥ 10000) instead of a count back gives the same window.
    const absolute = await api.get<Moderated>(`/Inferences/Model/${model}/InferenceRequest/?start_day_interval=${day}&current_batch_day=${day}`);
    expect(absolute.body.unmoderated_images_count).toBe(3);
    const past = await api.get<Moderated>(`/Inferences/Model/${model}/InferenceRequest/?start_day_interval=5&current_batch_day=${day - 30}`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ moderated_images_count: 0, unmoderated_images_count: 0, moderated_images: [], unmoderated_images: [] });
    expect(openapi.check('nanonetsListFiles', 200, past.body)).toEqual([]);
  });

  it('refuses bad day windows with 400', async () => {
    for (const query of ['', '?start_day_interval=1', `?start_day_interval=${today() + 1}&current_batch_day=${today()}`, '?start_day_interval=-1&current_batch_day=2', '?start_day_interval=x&current_batch_day=2']) {
      const res = await api.get<ErrorBody>(`/Inferences/Model/${model}/InferenceRequest/${query}`);
      expect(res.status, query).toBe(400);
      expect(openapi.check('nanonetsListFiles', 400, res.body)).toEqual([]);
    }
  });

  it("answers 404 for another tenant's model, file or page, and for unknown ids", async () => {
    const fileId = completed[0]!;
    const page = (await stack.db.pages.listByFile(fileId))[0]!;
    const them = nanonetsHttp(stack.api.url, other.key);
    const day = today();
    const notFound: Array<[NanonetsHttp, string]> = [
      [them, `/Inferences/Model/${model}/InferenceRequest/${fileId}`],
      [them, `/Inferences/Model/${other.model}/InferenceRequest/${fileId}`],
      [them, `/Inferences/Model/${model}/InferenceRequest/${fileId}/page/${page.id}`],
      [them, `/Inferences/Model/${other.model}/InferenceRequest/${fileId}/page/${page.id}`],
      [them, `/Inferences/Model/${model}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`],
      [api, `/Inferences/Model/${model}/InferenceRequest/00000000-0000-4000-8000-000000000000`],
      [api, `/Inferences/Model/${model}/InferenceRequest/${fileId}/page/00000000-0000-4000-8000-000000000000`],
      [api, `/Inferences/Model/${other.model}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`],
    ];
    for (const [client, path] of notFound) {
      const res = await client.get<ErrorBody>(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ code: 404, error: 'not_found' });
    }
    // Their own (empty) model answers an empty window: the other tenant's pages stay invisible.
    const theirs = await them.get<Moderated>(`/Inferences/Model/${other.model}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.unmoderated_images_count).toBe(0);

    const { result, before, after } = await leavesNothing(stack, () => them.postForm<ErrorBody>(`/OCR/Model/${model}/LabelUrls/`, { urls: `${files.url}/receipt.png` }));
    expect(result.status).toBe(404);
    expect(after).toEqual(before);
  });

  it('accepts a URL whose path holds a malformed escape, naming the file by the raw segment', async () => {
    const res = await api.postJson<Accepted>(`/OCR/Model/${model}/LabelUrls/Async/`, { urls: [`${files.url}/memo%E0%A4%A.png`] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result[0]).toMatchObject({ input: 'memo%E0%A4%A.png' });
  });
});
