import { describe, expect, it } from 'vitest';
import { documentPage, rotatedPage } from '../../test/pages.fixture.ts';
import { daySinceEpoch, nanonetsDayWindow } from './nanonets.day-window.ts';
import { nanonetsErrorBody, nanonetsSyncTooManyPagesMessage } from './nanonets.errors.ts';
import { type PredictionRecord, predictionsFromPage } from './nanonets.predictions.ts';
import {
  nanonetsAsyncQuerySchema,
  nanonetsDayWindowQuerySchema,
  nanonetsLabelFileFieldsSchema,
  nanonetsLabelUrlsBodySchema,
  nanonetsUploadFileFieldsSchema,
} from './nanonets.requests.ts';
import {
  nanonetsAsyncAccepted,
  nanonetsCells,
  nanonetsFileResult,
  nanonetsModeratedResponse,
  nanonetsPageResult,
  nanonetsPredictionResponse,
} from './nanonets.responses.ts';
import {
  nanonetsAsyncAcceptedSchema,
  nanonetsErrorSchema,
  nanonetsModeratedFileResponseSchema,
  nanonetsPredictionResponseSchema,
  nanonetsTrainResponseSchema,
  nanonetsUploadResponseSchema,
} from './nanonets.schemas.ts';
import { nanonetsCategoryTotals, nanonetsTrainResponse, nanonetsUploadResponse, parseNanonetsTrainingData } from './nanonets.training.ts';
import type { NanonetsFileView, NanonetsPageView, NanonetsPredictionView } from './nanonets.views.ts';

describe('predictionsFromPage', () => {
  const preds = predictionsFromPage(documentPage(), 0);

  it('makes one field per text line and one table per gridded table, in reading order', () => {
    expect(preds.map((p) => `${p.type}:${p.ocrText.split('\n')[0]}`)).toEqual([
      'field:Invoice 42',
      'field:Thank you for your order.',
      'field:It ships tomorrow.',
      'field:Terms: net 30 | no returns',
      'table:Item\tQty\tPrice',
      'field:• first item',
      'field:• second item',
    ]);
    expect(preds[0]).toEqual({
      label: 'text',
      type: 'field',
      xmin: 100,
      ymin: 100,
      xmax: 500,
      ymax: 160,
      score: 0.98,
      ocrText: 'Invoice 42',
      pageNo: 0,
      cells: null,
    } satisfies PredictionRecord);
  });

  it('fills every table cell, 1-based, borrowing row and column extents for an empty one', () => {
    const table = preds.find((p) => p.type === 'table')!;
    expect(table).toMatchObject({ label: 'table', xmin: 100, ymin: 600, xmax: 850, ymax: 730, ocrText: 'Item\tQty\tPrice\nWidget\t2\t9.99\nGadget\t\ta|b' });
    expect(table.cells).toHaveLength(9);
    expect(table.cells![0]).toEqual({ row: 1, col: 1, label: 'cell', xmin: 100, ymin: 600, xmax: 300, ymax: 630, score: 0.95, text: 'Item' });
    // Row 3, column 2 has no text: its box spans column 2 (x 400..500) and row 3 (y 700..730).
    expect(table.cells![7]).toEqual({ row: 3, col: 2, label: 'cell', xmin: 400, ymin: 700, xmax: 500, ymax: 730, score: 0, text: '' });
  });

  it('takes the page index and a custom label, and boxes rotated text in image pixels', () => {
    expect(predictionsFromPage(documentPage(), 4, { labelFor: (b) => b.kind })[0]).toMatchObject({ label: 'heading', pageNo: 4 });
    const [rotated] = predictionsFromPage(rotatedPage(), 1);
    expect(rotated).toMatchObject({ xmin: 470, ymin: 50, xmax: 500, ymax: 250, ocrText: 'Rotated text', pageNo: 1 });
  });
});

const created = new Date('2025-03-04T10:00:00Z');
const rows = (pageId: string): NanonetsPredictionView[] =>
  predictionsFromPage(documentPage(), 0).map((p, i) => ({ ...p, id: `${pageId}-p${i}`, source: 'MODEL', active: true }));

function pageView(over: Partial<NanonetsPageView> = {}): NanonetsPageView {
  return {
    id: 'page-0',
    index: 0,
    status: 'DONE',
    width: 1000,
    height: 1400,
    rotation: 0,
    daySinceEpoch: daySinceEpoch(created),
    moderationState: 'UNMODERATED',
    error: null,
    imageKey: 'files/f1/pages/0.png',
    imageUrl: 'https://s3.local/files/f1/pages/0.png?sig=1',
    predictions: rows('page-0'),
    ...over,
  };
}

function fileView(pages: NanonetsPageView[] = [pageView()]): NanonetsFileView {
  return {
    id: 'f1',
    modelId: 'm1',
    filename: 'invoice.pdf',
    status: 'COMPLETE',
    requestMetadata: 'ticket-7',
    processingType: 'SYNC',
    createdAt: created,
    storageKey: 'files/f1/original',
    errorMessage: null,
    originalUrl: 'https://s3.local/files/f1/original?sig=1',
    pages,
  };
}

describe('prediction response (LabelFile / LabelUrls)', () => {
  it('answers one result per page with the seed fields', () => {
    const res = nanonetsPredictionResponse([fileView([pageView(), pageView({ id: 'page-1', index: 1, imageKey: 'files/f1/pages/1.png' })])]);
    expect(nanonetsPredictionResponseSchema.safeParse(res).success).toBe(true);
    expect(res.message).toBe('Success');
    expect(res.result).toHaveLength(2);
    expect(res.result[0]).toMatchObject({
      message: 'Success',
      input: 'invoice.pdf',
      page: 0,
      request_file_id: 'f1',
      id: 'page-0',
      request_metadata: 'ticket-7',
      processing_type: '',
      size: { width: 1000, height: 1400 },
    });
    expect(res.result[0]?.prediction[0]).toEqual({
      id: 'page-0-p0',
      label: 'text',
      xmin: 100,
      ymin: 100,
      xmax: 500,
      ymax: 160,
      score: 0.98,
      ocr_text: 'Invoice 42',
      type: 'field',
      status: 'correctly_predicted',
      page_no: 0,
    });
    const table = res.result[0]?.prediction.find((p) => p.type === 'table');
    expect(table?.cells?.[0]).toMatchObject({ id: 'page-0-p4:1:1', row: 1, col: 1, text: 'Item' });
    expect(res.signed_urls['files/f1/original']).toEqual({ original: 'https://s3.local/files/f1/original?sig=1' });
    expect(res.signed_urls['files/f1/pages/0.png']?.original).toBe('https://s3.local/files/f1/pages/0.png?sig=1');
  });

  it('leaves out boxes a moderator removed, and reports failed pages and files', () => {
    const predictions = rows('page-0').map((p, i) => (i === 0 ? { ...p, active: false } : p));
    const failedPage = pageView({ id: 'page-1', index: 1, status: 'FAILED', error: 'corrupt page', predictions: [] });
    const res = nanonetsPredictionResponse([
      { ...fileView([pageView({ predictions }), failedPage]), processingType: 'ASYNC', status: 'PARTIAL' },
      { ...fileView([]), id: 'f2', status: 'FAILED', errorMessage: 'The PDF is password-protected.' },
    ]);
    expect(res.result[0]?.prediction.map((p) => p.id)).not.toContain('page-0-p0');
    expect(res.result[0]?.processing_type).toBe('async');
    expect(res.result[1]?.message).toBe('Failure: corrupt page');
    expect(res.result[2]).toMatchObject({ request_file_id: 'f2', message: 'Failure: The PDF is password-protected.', prediction: [] });
    expect(res.message).toBe('Partial success: 2 of 3 pages did not complete');
    expect(nanonetsPredictionResponseSchema.safeParse(res).success).toBe(true);
  });

  it('derives predictions from the canonical result when rows were not loaded', () => {
    const res = nanonetsPredictionResponse([fileView([pageView({ predictions: undefined, canonical: documentPage() })])]);
    expect(res.result[0]?.prediction).toHaveLength(7);
    expect(res.result[0]?.prediction[0]?.id).toBe('page-0:0');
  });

  it('answers async acceptance with the request_file_id to poll', () => {
    const { pages: _, ...summary } = fileView();
    const res = nanonetsAsyncAccepted([{ ...summary, status: 'QUEUED' }]);
    expect(nanonetsAsyncAcceptedSchema.safeParse(res).success).toBe(true);
    expect(res).toMatchObject({ message: 'Success', result: [{ message: 'Success', request_file_id: 'f1', filepath: 'files/f1/original', status: 'queued' }] });
    expect(nanonetsAsyncAccepted([summary], 'Still processing').message).toBe('Still processing');
  });
});

describe('moderated responses (InferenceRequest)', () => {
  it('buckets approved pages as moderated and the rest as unmoderated, with counts', () => {
    const file = fileView([
      pageView(),
      pageView({ id: 'page-1', index: 1, moderationState: 'APPROVED', imageKey: 'files/f1/pages/1.png' }),
      pageView({ id: 'page-2', index: 2, moderationState: 'REJECTED', imageUrl: null }),
    ]);
    const res = nanonetsFileResult(file);
    expect(nanonetsModeratedFileResponseSchema.safeParse(res).success).toBe(true);
    expect(res.moderated_images_count).toBe(1);
    expect(res.unmoderated_images_count).toBe(2);
    expect(res.moderated_images[0]).toMatchObject({ id: 'page-1', is_moderated: true, model_id: 'm1', day_since_epoch: 20151 });
    expect(res.unmoderated_images.map((p) => p.id)).toEqual(['page-0', 'page-2']);
    expect(res.unmoderated_images[1]?.url).toBeUndefined();
    expect(Object.keys(res.signed_urls).sort()).toEqual(['files/f1/original', 'files/f1/pages/0.png', 'files/f1/pages/1.png']);
  });

  it('keeps the model boxes in predicted_boxes and the final ones in moderated_boxes', () => {
    const predictions: NanonetsPredictionView[] = [
      ...rows('page-0').map((p, i) => (i === 0 ? { ...p, active: false } : p)),
      { ...rows('page-0')[0]!, id: 'edit-1', ocrText: 'Invoice 43', source: 'MODERATOR', active: true },
    ];
    const { pages: _, ...file } = fileView();
    const res = nanonetsPageResult(file, pageView({ predictions, moderationState: 'APPROVED' }));
    const page = res.moderated_images[0]!;
    expect(page.predicted_boxes.map((p) => p.id)).toContain('page-0-p0');
    expect(page.predicted_boxes.map((p) => p.id)).not.toContain('edit-1');
    const moderatedBoxes = page.moderated_boxes ?? [];
    expect(moderatedBoxes.find((p) => p.id === 'edit-1')).toMatchObject({ status: 'moderated', ocr_text: 'Invoice 43' });
    expect(moderatedBoxes.map((p) => p.id)).not.toContain('page-0-p0');
  });

  it('answers an empty window with zero counts', () => {
    expect(nanonetsModeratedResponse([])).toEqual({
      moderated_images_count: 0,
      unmoderated_images_count: 0,
      moderated_images: [],
      unmoderated_images: [],
      signed_urls: {},
    });
  });

  it('reads stored cells leniently and ignores junk', () => {
    expect(nanonetsCells('p', [{ row: 1, col: 2, xmin: 0, ymin: 0, xmax: 1, ymax: 1 }])).toEqual([
      { id: 'p:1:2', row: 1, col: 2, label: '', xmin: 0, ymin: 0, xmax: 1, ymax: 1, score: 0, text: '' },
    ]);
    expect(nanonetsCells('p', 'junk')).toBeUndefined();
    expect(nanonetsCells('p', null)).toBeUndefined();
  });
});

describe('day window', () => {
  it('reads a small start_day_interval as days back and a large one as a day since epoch', () => {
    expect(nanonetsDayWindow(7, 20151)).toEqual({ ok: true, fromDay: 20144, toDay: 20151 });
    expect(nanonetsDayWindow(0, 20151)).toEqual({ ok: true, fromDay: 20151, toDay: 20151 });
    expect(nanonetsDayWindow(20140, 20151)).toEqual({ ok: true, fromDay: 20140, toDay: 20151 });
    const after = nanonetsDayWindow(20160, 20151);
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.message).toMatch(/after current_batch_day/);
    expect(daySinceEpoch(new Date('1970-01-02T00:00:00Z'))).toBe(1);
  });

  it('parses the query, requiring both integers', () => {
    expect(nanonetsDayWindowQuerySchema.parse({ start_day_interval: '7', current_batch_day: '20151' })).toEqual({ start_day_interval: 7, current_batch_day: 20151 });
    expect(nanonetsDayWindowQuerySchema.safeParse({ start_day_interval: '7' }).success).toBe(false);
    expect(nanonetsDayWindowQuerySchema.safeParse({ start_day_interval: 'x', current_batch_day: '1' }).success).toBe(false);
  });
});

describe('requests', () => {
  it('takes one URL or many, form or JSON, and refuses non-http URLs', () => {
    expect(nanonetsLabelUrlsBodySchema.parse({ urls: 'https://a.example/x.png' }).urls).toEqual(['https://a.example/x.png']);
    expect(nanonetsLabelUrlsBodySchema.parse({ urls: ['https://a.example/1', 'http://b.example/2'], request_metadata: 'r' })).toMatchObject({
      urls: ['https://a.example/1', 'http://b.example/2'],
      request_metadata: 'r',
    });
    const bad = nanonetsLabelUrlsBodySchema.safeParse({ urls: ['https://a.example/1', 'ftp://x/y'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['urls', 1]);
    expect(nanonetsLabelUrlsBodySchema.safeParse({ urls: [] }).success).toBe(false);
    expect(nanonetsLabelUrlsBodySchema.safeParse({}).success).toBe(false);
    expect(nanonetsLabelUrlsBodySchema.safeParse({ urls: Array.from({ length: 101 }, (_, i) => `https://a.example/${i}`) }).success).toBe(false);
  });

  it('reads the async switch from the query or the form', () => {
    expect(nanonetsAsyncQuerySchema.parse({})).toEqual({ async: false, force_ocr: false });
    expect(nanonetsAsyncQuerySchema.parse({ async: 'true', force_ocr: 'true' })).toEqual({ async: true, force_ocr: true });
    expect(nanonetsAsyncQuerySchema.safeParse({ force_ocr: 'maybe' }).success).toBe(false);
    expect(nanonetsLabelFileFieldsSchema.parse({ async: 'false', request_metadata: 'x' })).toEqual({ async: false, request_metadata: 'x' });
    expect(nanonetsUploadFileFieldsSchema.safeParse({}).success).toBe(false);
  });
});

describe('training', () => {
  const data = JSON.stringify([
    { filename: 'a.jpg', object: [{ name: 'total', ocr_text: '12.00', bndbox: { xmin: 1, ymin: 1, xmax: 100, ymax: 100 } }, { name: 'date', bndbox: { xmin: 1, ymin: 1, xmax: 9, ymax: 9 } }] },
    { filename: 'b.jpg', object: [{ name: 'total', bndbox: { xmin: 1, ymin: 1, xmax: 100, ymax: 100 } }] },
  ]);

  it('parses the annotation JSON and totals boxes per category', () => {
    const parsed = parseNanonetsTrainingData(data);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(nanonetsCategoryTotals(parsed.annotations)).toEqual([
      { name: 'total', count: 2 },
      { name: 'date', count: 1 },
    ]);
    const res = nanonetsUploadResponse('m1', [{ id: 't1', filename: 'a.jpg' }], parsed.annotations);
    expect(nanonetsUploadResponseSchema.parse(res)).toMatchObject({ model_id: 'm1', total_images: 1 });
  });

  it('explains bad annotation JSON', () => {
    expect(parseNanonetsTrainingData('{nope')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) });
    const missing = parseNanonetsTrainingData([{ filename: 'a.jpg', object: [{ name: 'x' }] }]);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.message).toMatch(/bndbox/);
  });

  it('says whether the run trained the model', () => {
    const res = nanonetsTrainResponse({ id: 'run1', modelId: 'm1', status: 'QUEUED', message: null, createdAt: created }, 3);
    expect(nanonetsTrainResponseSchema.parse(res)).toMatchObject({ trained: false, state: 'queued', training_run_id: 'run1' });
    expect(res.message).toMatch(/queued with 3 training images/);
    const done = nanonetsTrainResponse({ id: 'run1', modelId: 'm1', status: 'SUCCEEDED', message: 'Trained.', createdAt: created }, 3);
    expect(done).toMatchObject({ trained: true, state: 'succeeded' });
  });
});

describe('errors', () => {
  it('renders the Nanonets error body and the sync page-limit message', () => {
    const body = nanonetsErrorBody({ status: 404, code: 'not_found', message: 'Model m9 not found.' });
    expect(nanonetsErrorSchema.parse(body)).toEqual({ message: 'Model m9 not found.', code: 404, error: 'not_found' });
    expect(nanonetsSyncTooManyPagesMessage({ pageCount: 5, maxPages: 3, modelId: 'm1', route: 'LabelFile' })).toBe(
      'This request has 5 pages; sync requests accept at most 3. Send it to POST /api/v2/OCR/Model/m1/LabelFile/Async/ ' +
        '(or add ?async=true) and poll GET /api/v2/Inferences/Model/m1/InferenceRequest/{request_file_id}.',
    );
  });
});
