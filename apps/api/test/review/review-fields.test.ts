import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewPageDetail, ReviewPageList, ReviewPrediction } from '@folio/contracts';
import type { Storage } from '@folio/storage';
import { nanonetsHttp } from '../support/nanonets.http.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { reviewClient, seedRecognizedDocument, seedRecognizedPage, stackStorage, type SeededPage } from './review.support.ts';

const CATEGORIES = ['invoice_number', 'total', 'date'];

interface ModelObject {
  categories: Array<{ name: string; count: number }>;
}

/**
 * Moderation of a custom model's fields through the review API: fields by category with the
 * page's OCR words, value and box edits, a field added from words, a deletion, approval, and the
 * approved fields counted as the model's training data. Every bad input is a 4xx writing nothing.
 */
describe('review API: moderating the fields of a custom model', () => {
  let stack: Stack;
  let storage: Storage;
  let call: ReturnType<typeof reviewClient>;
  let modelId: string;
  let invoice: SeededPage;
  let twoPages: SeededPage[];
  let plain: SeededPage;
  let other: { apiKey: string; page: SeededPage };

  beforeAll(async () => {
    stack = await startStack();
    storage = stackStorage(stack);
    call = reviewClient(stack.api.url, stack.dev.apiKey);
    const { orgId } = stack.dev;
    modelId = (await stack.db.models.create({ orgId, kind: 'EXTRACTION', name: 'invoices', labels: CATEGORIES })).id;
    invoice = await seedRecognizedPage(stack, storage, {
      orgId,
      modelId,
      filename: 'invoice.png',
      lines: ['INVOICE 4521', 'Total 12.5O EUR', 'Thank you'],
      scores: [0.97, 0.6, 0.99],
      fields: [
        { category: 'invoice_number', line: 0, score: 0.8 },
        { category: 'total', line: 1, score: 0.55 },
        // A wrong field the reviewer deletes.
        { category: 'date', line: 2, score: 0.3 },
      ],
    });
    // A two-page document: its pages stay together in the queue, at the place of its worst page.
    twoPages = await seedRecognizedDocument(stack, storage, {
      orgId,
      modelId,
      filename: 'two-pages.png',
      pages: [
        { lines: ['INVOICE 77'], scores: [0.99], fields: [{ category: 'invoice_number', line: 0, score: 0.95 }] },
        { lines: ['Total 3.00'], scores: [0.99], fields: [{ category: 'total', line: 0, score: 0.2 }] },
      ],
    });
    // A docTR / Files + OCR upload: no model, no fields; it sorts after every page with fields however low its words.
    plain = await seedRecognizedPage(stack, storage, { orgId, modelId: null, filename: 'doctr.png', lines: ['faint words'], scores: [0.02] });
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    const theirs = await stack.db.models.create({ orgId: org.id, kind: 'EXTRACTION', name: 'theirs', labels: CATEGORIES });
    other = {
      apiKey: (await stack.db.apiKeys.create(org.id)).plaintext,
      page: await seedRecognizedPage(stack, storage, { orgId: org.id, modelId: theirs.id, lines: ['Secret 1'], scores: [0.9], fields: [{ category: 'total', line: 0, score: 0.1 }] }),
    };
  });
  afterAll(async () => {
    storage?.close();
    await stack?.close();
  });

  const footprint = async (pageId: string) => {
    const [boxes, events, page] = await Promise.all([
      stack.db.prisma.prediction.findMany({ where: { pageId }, orderBy: { id: 'asc' } }),
      stack.db.prisma.moderationEvent.count({ where: { pageId } }),
      stack.db.prisma.page.findUnique({ where: { id: pageId }, select: { moderationState: true, minConfidence: true, updatedAt: true } }),
    ]);
    return JSON.stringify({ boxes, events, page });
  };
  const detail = async (pageId: string) => (await call<ReviewPageDetail>('GET', `/v1/review/pages/${pageId}`)).body;
  const counts = async () => {
    const res = await nanonetsHttp(stack.api.url, stack.dev.apiKey).get<ModelObject>(`/OCR/Model/${modelId}`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.categories.map((c) => [c.name, c.count]));
  };

  it('queues every page grouped by document, lowest field score first, then lowest word score, paginated', async () => {
    const all = await call<ReviewPageList>('GET', '/v1/review/pages?limit=200');
    expect(all.status).toBe(200);
    const [first, second] = twoPages as [SeededPage, SeededPage];
    // two-pages (worst field 0.2) before invoice (0.3); inside it, its worst page first; the page without fields last.
    expect(all.body.data.map((p) => p.id)).toEqual([second.pageId, first.pageId, invoice.pageId, plain.pageId]);
    expect(all.body.data.map((p) => [p.filename, p.min_field_score, p.min_word_score])).toEqual([
      ['two-pages.png', 0.2, 0.99],
      ['two-pages.png', 0.95, 0.99],
      ['invoice.png', 0.3, 0.6],
      ['doctr.png', null, 0.02],
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: ReviewPageList } = await call<ReviewPageList>('GET', `/v1/review/pages?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      seen.push(...res.body.data.map((p) => p.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((p) => p.id));
    expect((await call<ReviewPageList>('GET', `/v1/review/pages?model_id=${modelId}`)).body.total).toBe(3);
  });

  it('answers the fields with their categories and the page words to select from', async () => {
    const page = await detail(invoice.pageId);
    expect(page.categories).toEqual(CATEGORIES);
    expect(page.min_field_score).toBe(0.3);
    expect(page.predictions.map((p) => [p.label, p.type, p.ocr_text, p.score])).toEqual([
      ['invoice_number', 'field', 'INVOICE 4521', 0.8],
      ['total', 'field', 'Total 12.5O EUR', 0.55],
      ['date', 'field', 'Thank you', 0.3],
    ]);
    expect(page.words.map((w) => [w.text, w.line])).toEqual([
      ['INVOICE 4521', 0],
      ['Total 12.5O EUR', 1],
      ['Thank you', 2],
    ]);
    for (const w of page.words) {
      expect(w.xmin).toBeLessThan(w.xmax);
      expect(w.ymax).toBeLessThanOrEqual(invoice.height);
    }
  });

  it('corrects a value, moves a box, adds a field from words, deletes one, approves: the model counts rise', async () => {
    const none = { invoice_number: 0, total: 0, date: 0 };
    expect(await counts()).toEqual(none);
    const page = await detail(invoice.pageId);
    const [number, total, wrong] = page.predictions as [ReviewPrediction, ReviewPrediction, ReviewPrediction];

    const corrected = await call<ReviewPrediction>('PATCH', `/v1/review/pages/${invoice.pageId}/predictions/${total.id}`, { ocr_text: '12.50' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ label: 'total', type: 'field', ocr_text: '12.50', source: 'moderator', score: 1 });

    const moved = await call<ReviewPrediction>('PATCH', `/v1/review/pages/${invoice.pageId}/predictions/${number.id}`, { xmin: number.xmin + 10, xmax: number.xmax - 2 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ label: 'invoice_number', xmin: number.xmin + 10, xmax: number.xmax - 2, ocr_text: 'INVOICE 4521' });

    const relabel = await call<ReviewPrediction>('PATCH', `/v1/review/pages/${invoice.pageId}/predictions/${moved.body.id}`, { label: 'invoice_number' });
    expect(relabel.status).toBe(200);

    // A field from the words a reviewer selected: union box, the words' text.
    const words = page.words.slice(0, 2);
    const union = {
      xmin: Math.min(...words.map((w) => w.xmin)),
      ymin: Math.min(...words.map((w) => w.ymin)),
      xmax: Math.max(...words.map((w) => w.xmax)),
      ymax: Math.max(...words.map((w) => w.ymax)),
    };
    const added = await call<ReviewPrediction>('POST', `/v1/review/pages/${invoice.pageId}/predictions`, { label: 'date', ...union, ocr_text: words.map((w) => w.text).join(' ') });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ label: 'date', type: 'field', source: 'moderator', ocr_text: 'INVOICE 4521 Total 12.5O EUR', ...union });

    const removed = await call<ReviewPrediction>('DELETE', `/v1/review/pages/${invoice.pageId}/predictions/${wrong.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.active).toBe(false);

    // Not approved yet: not training data.
    expect(await counts()).toEqual(none);
    const approved = await call<ReviewPageDetail>('POST', `/v1/review/pages/${invoice.pageId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.moderation_state).toBe('approved');
    expect(approved.body.predictions.map((p) => [p.label, p.ocr_text])).toEqual([
      ['invoice_number', 'INVOICE 4521'],
      ['total', '12.50'],
      ['date', 'INVOICE 4521 Total 12.5O EUR'],
    ]);
    expect(await counts()).toEqual({ invoice_number: 1, total: 1, date: 1 });
    // What the train job reads (apps/worker training-run.service): the page with its standing fields.
    const training = await stack.db.training.moderatedPages(modelId, stack.dev.orgId);
    expect(training.map((p) => p.id)).toEqual([invoice.pageId]);
    expect(training[0]!.boxes.map((b) => [b.label, b.ocrText]).sort()).toEqual([
      ['date', 'INVOICE 4521 Total 12.5O EUR'],
      ['invoice_number', 'INVOICE 4521'],
      ['total', '12.50'],
    ]);
    expect((await detail(invoice.pageId)).events.map((e) => e.action)).toEqual(['update', 'update', 'create', 'delete', 'approve']);
  });

  it('refuses unknown categories, boxes off the page and other tenants with a clear 4xx, writing nothing', async () => {
    const [first] = twoPages as [SeededPage];
    const field = (await detail(first.pageId)).predictions[0]!;
    const before = await footprint(first.pageId);
    const box = { xmin: 10, ymin: 10, xmax: 50, ymax: 40 };
    for (const [method, path, body, status, reason, message] of [
      ['POST', '', { label: 'iban', ...box, ocr_text: 'x' }, 422, 'unknown_category', /Unknown category "iban".*"invoice_number", "total", "date"/],
      ['POST', '', { label: 'text', ...box }, 422, 'unknown_category', /Unknown category "text"/],
      ['PATCH', `/${field.id}`, { label: 'vat' }, 422, 'unknown_category', /Unknown category "vat"/],
      ['POST', '', { label: 'total', ...box, xmax: first.width + 1 }, 422, 'invalid_box', /xmax .* outside the page/],
      ['PATCH', `/${field.id}`, { ymax: first.height + 50 }, 422, 'invalid_box', /ymax .* outside the page/],
      ['PATCH', `/${field.id}`, { xmin: 500, xmax: 20 }, 422, 'invalid_box', /xmin \(500\) must be less than xmax \(20\)/],
      ['POST', '', { label: 'total', ...box, value: 'x' }, 400, 'invalid_request', /Unrecognized key: "value"/],
      ['POST', '', { label: '', ...box }, 400, 'invalid_request', /label must not be empty/],
    ] as const) {
      const res = await call(method, `/v1/review/pages/${first.pageId}/predictions${path}`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error).toMatchObject({ reason });
      expect(res.body.error.message).toMatch(message);
    }
    expect(await footprint(first.pageId)).toBe(before);

    // Another organization's page and field are 404 for every action, and stay as they were.
    const theirs = other.page.pageId;
    const theirField = (await reviewClient(stack.api.url, other.apiKey)<ReviewPageDetail>('GET', `/v1/review/pages/${theirs}`)).body.predictions[0]!;
    const theirsBefore = await footprint(theirs);
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/predictions', { label: 'total', ...box }],
      ['PATCH', `/predictions/${theirField.id}`, { ocr_text: 'mine' }],
      ['DELETE', `/predictions/${theirField.id}`, undefined],
      ['POST', '/approve', undefined],
    ] as const) {
      const res = await call(method, `/v1/review/pages/${theirs}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(await footprint(theirs)).toBe(theirsBefore);
    expect(await counts()).toEqual({ invoice_number: 1, total: 1, date: 1 });
  });
});
