import { makeTextPdf, makeTextPng } from '@folio/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer, type FileServer } from '../support/file-server.ts';
import { leavesNothing, storedKeys } from '../support/leftovers.ts';
import { nanonetsHttp, type NanonetsHttp } from '../support/nanonets.http.ts';
import { openApiValidator, type OpenApiValidator } from '../support/openapi.validator.ts';
import { startStack, type Stack } from '../support/stack.ts';

interface Upload {
  message: string;
  model_id: string;
  total_images: number;
  categories: Array<{ name: string; count: number }>;
  images: Array<{ id: string; filename: string }>;
}
interface Train {
  message: string;
  model_id: string;
  training_run_id: string;
  state: string;
  trained: boolean;
}
interface ErrorBody {
  message: string;
  code: number;
  reason?: string;
}

// Boxes lie inside the test images (about 250 × 208 px): boxes outside are refused (422).
const box = (name: string, ocr_text: string, y: number) => ({ name, ocr_text, bndbox: { xmin: 40, ymin: y, xmax: 240, ymax: y + 50 } });

describe('Nanonets training uploads and Train (no OCR needed)', () => {
  let stack: Stack;
  let files: FileServer;
  let api: NanonetsHttp;
  let openapi: OpenApiValidator;
  let model: string;
  let invoice: Uint8Array;
  let receipt: Uint8Array;
  let otherKey: string;

  beforeAll(async () => {
    [invoice, receipt] = await Promise.all([makeTextPng(['Invoice 12', 'Total 99.00']), makeTextPng(['Receipt', 'Total 5.00'])]);
    files = await startFileServer({
      '/train/receipt.png': { body: receipt, type: 'image/png' },
      '/train/doc.pdf': { body: makeTextPdf([['a pdf']]), type: 'application/pdf' },
    });
    stack = await startStack({ URL_ALLOW_PRIVATE: '127.0.0.0/8' });
    api = nanonetsHttp(stack.api.url, stack.dev.apiKey);
    openapi = await openApiValidator(stack.api.url);
    const created = await api.postJson<{ model_id: string; categories: unknown[]; status: string }>('/OCR/Model/', { categories: ['invoice_number', 'total'], model_type: 'ocr' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(openapi.check('nanonetsCreateModel', 200, created.body)).toEqual([]);
    expect(created.body).toMatchObject({ status: 'created', categories: [{ name: 'invoice_number', count: 0 }, { name: 'total', count: 0 }] });
    model = created.body.model_id;
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    otherKey = (await stack.db.apiKeys.create(org.id)).plaintext;
  });
  afterAll(async () => {
    await stack?.close();
    await files?.close();
  });

  it('refuses Train while the model has no training images', async () => {
    const { result, before, after } = await leavesNothing(stack, () => api.postJson<ErrorBody>(`/OCR/Model/${model}/Train/`, {}));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ reason: 'no_training_data', message: expect.stringMatching(/UploadFile/) });
    expect(openapi.check('nanonetsTrain', 400, result.body)).toEqual([]);
    expect(after).toEqual(before);
  });

  it('UploadFile stores the images in S3 with their annotations and answers totals per category', async () => {
    const data = [
      { filename: 'invoice.png', object: [box('invoice_number', '12', 40), box('total', '99.00', 100)] },
      { filename: 'receipt.png', object: [box('total', '5.00', 100)] },
    ];
    const res = await api.postMultipart<Upload>(
      `/OCR/Model/${model}/UploadFile/`,
      [
        { name: 'invoice.png', bytes: invoice, type: 'image/png' },
        { name: 'receipt.png', bytes: receipt, type: 'image/png' },
      ],
      { data: JSON.stringify(data) },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsUploadTrainingFiles', 200, res.body)).toEqual([]);
    expect(res.body).toMatchObject({
      message: 'Success',
      model_id: model,
      total_images: 2,
      categories: [
        { name: 'total', count: 2 },
        { name: 'invoice_number', count: 1 },
      ],
    });
    const rows = await stack.db.training.listImages(model, stack.dev.orgId);
    expect(rows.map((r) => r.filename)).toEqual(['invoice.png', 'receipt.png']);
    expect(rows[0]!.annotations).toEqual([data[0]]);
    const keys = await storedKeys(stack);
    for (const r of rows) {
      expect(keys).toContain(r.storageKey);
      expect(r.storageKey).toMatch(new RegExp(`^orgs/${stack.dev.orgId}/models/${model}/training/`));
    }
  });

  it('UploadUrls fetches the images SSRF-safe into S3 and records them', async () => {
    const url = `${files.url}/train/receipt.png`;
    const res = await api.postJson<Upload>(`/OCR/Model/${model}/UploadUrls/`, {
      urls: [url],
      data: JSON.stringify([{ filename: 'receipt.png', object: [box('total', '5.00', 100)] }]),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsUploadTrainingUrls', 200, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ total_images: 1, images: [{ filename: 'receipt.png' }], categories: [{ name: 'total', count: 1 }] });
    const rows = await stack.db.training.listImages(model, stack.dev.orgId);
    expect(rows).toHaveLength(3);
    const stored = rows.find((r) => r.id === res.body.images[0]!.id)!;
    expect(await storedKeys(stack)).toContain(stored.storageKey);
    expect(files.hits).toContain('/train/receipt.png');
  });

  it('Train queues a run on the train queue, and a second Train answers the same run', async () => {
    const res = await api.postJson<Train>(`/OCR/Model/${model}/Train/`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsTrain', 200, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ model_id: model, state: 'queued', trained: false });
    expect(res.body.message).toMatch(/queued with 3 training images/);
    const run = await stack.db.training.latestRun(model, stack.dev.orgId);
    expect(run).toMatchObject({ id: res.body.training_run_id, status: 'QUEUED', message: res.body.message });
    const again = await api.postJson<Train>(`/OCR/Model/${model}/Train/`, {});
    expect(again.body.training_run_id).toBe(res.body.training_run_id);
    const shown = await api.get<{ status: string; categories: Array<{ name: string; count: number }>; training_runs: unknown[] }>(`/OCR/Model/${model}`);
    expect(shown.status).toBe(200);
    expect(openapi.check('nanonetsGetModel', 200, shown.body)).toEqual([]);
    expect(shown.body).toMatchObject({ status: 'training', categories: [{ name: 'invoice_number', count: 1 }, { name: 'total', count: 3 }] });
    expect(shown.body.training_runs).toHaveLength(1);
  });

  it('concurrent Trains of an idle model start one run and all answer it', async () => {
    const racing = await api.postJson<{ model_id: string }>('/OCR/Model/', { categories: ['total'] });
    const id = racing.body.model_id;
    const up = await api.postMultipart(`/OCR/Model/${id}/UploadFile/`, [{ name: 'invoice.png', bytes: invoice, type: 'image/png' }], { data: JSON.stringify([{ filename: 'invoice.png', object: [box('total', '99.00', 100)] }]) });
    expect(up.status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.postJson<Train>(`/OCR/Model/${id}/Train/`, {})));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(new Set(answers.map((a) => a.body.training_run_id)).size).toBe(1);
    const runs = await stack.db.training.listRuns(id, stack.dev.orgId);
    expect(runs.map((r) => r.id)).toEqual([answers[0]!.body.training_run_id]);
  });

  it('the database itself refuses a second active run of a model, however the requests interleave', async () => {
    const racing = await api.postJson<{ model_id: string }>('/OCR/Model/', { categories: ['total'] });
    const id = racing.body.model_id;
    const results = await Promise.all(Array.from({ length: 10 }, () => stack.db.training.createRunUnlessActive(id, stack.dev.orgId, 'queued')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    // Bypassing the check-then-insert: the partial unique index still refuses the duplicate.
    await expect(stack.db.training.createRun(id, stack.dev.orgId)).rejects.toMatchObject({ code: 'unique_violation' });
    // Once that run ends, the next Train starts a new one.
    await stack.db.training.failRun(results[0]!.run.id, { code: 'training_crashed', detail: 'test', attempts: 1 });
    const next = await stack.db.training.createRunUnlessActive(id, stack.dev.orgId);
    expect(next.created).toBe(true);
    expect(next.run.id).not.toBe(results[0]!.run.id);
  });

  it('refuses Train when annotations name categories the model does not have, listing them', async () => {
    const other = await api.postJson<{ model_id: string }>('/OCR/Model/', { categories: ['total'] });
    const data = [{ filename: 'invoice.png', object: [box('invoice_number', '12', 40), box('weight', '3kg', 60)] }];
    const up = await api.postMultipart(`/OCR/Model/${other.body.model_id}/UploadFile/`, [{ name: 'invoice.png', bytes: invoice, type: 'image/png' }], { data: JSON.stringify(data) });
    expect(up.status).toBe(200);
    const res = await api.postJson<ErrorBody>(`/OCR/Model/${other.body.model_id}/Train/`, {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ reason: 'unknown_categories', message: expect.stringMatching(/"invoice_number", "weight"/) });
    expect(await stack.db.training.latestRun(other.body.model_id, stack.dev.orgId)).toBeNull();
  });

  it('adds categories after the existing ones and renames others in place, carrying their annotations and counts', async () => {
    const m = await api.postJson<{ model_id: string }>('/OCR/Model/', { categories: ['invoice_number', 'total'] });
    const id = m.body.model_id;
    const data = [{ filename: 'invoice.png', object: [box('invoice_number', '12', 40), box('total', '99.00', 100)] }];
    expect((await api.postMultipart(`/OCR/Model/${id}/UploadFile/`, [{ name: 'invoice.png', bytes: invoice, type: 'image/png' }], { data: JSON.stringify(data) })).status).toBe(200);
    const res = await api.request<{ categories: Array<{ name: string; count: number }> }>('PATCH', `/OCR/Model/${id}`, { add: ['due_date'], rename: { total: 'amount_due' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(openapi.check('nanonetsUpdateModel', 200, res.body)).toEqual([]);
    expect(res.body.categories).toEqual([
      { name: 'invoice_number', count: 1, accuracy: null },
      { name: 'amount_due', count: 1, accuracy: null },
      { name: 'due_date', count: 0, accuracy: null },
    ]);
    const [image] = await stack.db.training.listImages(id, stack.dev.orgId);
    expect((image!.annotations as Array<{ object: Array<{ name: string }> }>)[0]!.object.map((o) => o.name)).toEqual(['invoice_number', 'amount_due']);
    // Train accepts the renamed annotations (no unknown category).
    expect((await api.postJson<Train>(`/OCR/Model/${id}/Train/`, {})).status).toBe(200);
  });

  describe('refuses bad category changes, changing nothing', () => {
    const cases: Array<[string, unknown, string]> = [
      ['a rename of a category the model lacks', { rename: { weight: 'mass' } }, 'unknown_categories'],
      ['a rename onto an existing name', { rename: { invoice_number: 'total' } }, 'duplicate_categories'],
      ['an added name that exists', { add: ['total'] }, 'duplicate_categories'],
      ['nothing to change', {}, 'no_changes'],
      ['an empty name', { add: [' '] }, 'invalid_request'],
    ];
    for (const [name, body, reason] of cases) {
      it(`400 for ${name}`, async () => {
        const before = await stack.db.models.findForOrg(model, stack.dev.orgId);
        const res = await api.request<ErrorBody>('PATCH', `/OCR/Model/${model}`, body);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(openapi.check('nanonetsUpdateModel', 400, res.body)).toEqual([]);
        if (reason !== 'invalid_request') expect(res.body.reason).toBe(reason);
        expect((await stack.db.models.findForOrg(model, stack.dev.orgId))?.labels).toEqual(before?.labels);
      });
    }
    it("404 for another organization's model", async () => {
      const res = await nanonetsHttp(stack.api.url, otherKey).request<ErrorBody>('PATCH', `/OCR/Model/${model}`, { add: ['x'] });
      expect(res.status).toBe(404);
    });
  });

  it("answers 404 for another organization's model", async () => {
    const res = await nanonetsHttp(stack.api.url, otherKey).get<ErrorBody>(`/OCR/Model/${model}`);
    expect(res.status).toBe(404);
  });

  describe('refuses bad uploads, leaving no row and no object behind', () => {
    const png = () => [{ name: 'invoice.png', bytes: invoice, type: 'image/png' }];
    const cases: Array<[string, () => Promise<{ status: number; body: ErrorBody }>, number, string, string]> = [
      ['data that is not JSON', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, png(), { data: '{oops' }), 400, 'invalid_annotations', 'nanonetsUploadTrainingFiles'],
      ['no data', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, png()), 400, 'invalid_request', 'nanonetsUploadTrainingFiles'],
      ['an annotation without bndbox', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, png(), { data: JSON.stringify([{ filename: 'invoice.png', object: [{ name: 'x' }] }]) }), 400, 'invalid_annotations', 'nanonetsUploadTrainingFiles'],
      ['an annotation for a file not sent', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, png(), { data: JSON.stringify([{ filename: 'other.png', object: [] }]) }), 400, 'annotation_without_image', 'nanonetsUploadTrainingFiles'],
      ['text declared as PNG', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, [{ name: 'a.png', bytes: Buffer.from('not an image at all'), type: 'image/png' }], { data: '[]' }), 415, 'unsupported_type', 'nanonetsUploadTrainingFiles'],
      ['a box outside the image', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, png(), { data: JSON.stringify([{ filename: 'invoice.png', object: [{ name: 'total', ocr_text: '99.00', bndbox: { xmin: 10, ymin: 10, xmax: 99_999, ymax: 40 } }] }]) }), 422, 'box_outside_image', 'nanonetsUploadTrainingFiles'],
      ['a PDF', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, [{ name: 'a.pdf', bytes: makeTextPdf([['x']]), type: 'application/pdf' }], { data: '[]' }), 415, 'unsupported_type', 'nanonetsUploadTrainingFiles'],
      ['an empty file', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, [{ name: 'a.png', bytes: new Uint8Array(0), type: 'image/png' }], { data: '[]' }), 400, 'empty', 'nanonetsUploadTrainingFiles'],
      ['no file', () => api.postMultipart(`/OCR/Model/${model}/UploadFile/`, [], { data: '[]' }), 400, 'no_file', 'nanonetsUploadTrainingFiles'],
      ['a good URL and one answering 404', () => api.postJson(`/OCR/Model/${model}/UploadUrls/`, { urls: [`${files.url}/train/receipt.png`, `${files.url}/train/missing.png`] }), 422, 'url_http_status', 'nanonetsUploadTrainingUrls'],
      ['a URL of a PDF', () => api.postJson(`/OCR/Model/${model}/UploadUrls/`, { urls: [`${files.url}/train/doc.pdf`] }), 415, 'unsupported_type', 'nanonetsUploadTrainingUrls'],
      ['the metadata address', () => api.postJson(`/OCR/Model/${model}/UploadUrls/`, { urls: ['http://169.254.169.254/latest/meta-data/'] }), 400, 'url_forbidden_address', 'nanonetsUploadTrainingUrls'],
      ['malformed JSON', () => api.postJson(`/OCR/Model/${model}/UploadUrls/`, undefined, '{"urls": '), 400, 'invalid_json', 'nanonetsUploadTrainingUrls'],
      ['another tenant uploading to this model', () => nanonetsHttp(stack.api.url, otherKey).postMultipart(`/OCR/Model/${model}/UploadFile/`, png(), { data: '[]' }), 404, '', 'nanonetsUploadTrainingFiles'],
      ['another tenant training this model', () => nanonetsHttp(stack.api.url, otherKey).postJson(`/OCR/Model/${model}/Train/`, {}), 404, '', 'nanonetsTrain'],
      ['no key', () => nanonetsHttp(stack.api.url, null).postJson(`/OCR/Model/${model}/Train/`, {}), 401, '', 'nanonetsTrain'],
    ];
    for (const [name, request, status, reason, operationId] of cases) {
      it(`${status} for ${name}`, async () => {
        const { result, before, after } = await leavesNothing(stack, request);
        expect(result.status, JSON.stringify(result.body)).toBe(status);
        if (reason) expect(result.body.reason).toBe(reason);
        expect(result.body.code).toBe(status);
        expect(openapi.check(operationId, status, result.body)).toEqual([]);
        expect(after).toEqual(before);
      });
    }
  });
});
