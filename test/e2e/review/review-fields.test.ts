import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewPageDetail } from '@folio/contracts';
import { makeTextPng } from '@folio/documents/testing';
import { nanonetsHttp, type NanonetsHttp } from '../../../apps/api/test/support/nanonets.http.ts';
import { reviewClient } from '../../../apps/api/test/review/review.support.ts';
import { FONT, label, lineBox, PAD, WIDTH } from '../../support/shipping-labels.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOT = path.join(repoRoot, 'test-output/review/review-fields.png');
const CATEGORIES = ['sender', 'tracking_number', 'weight'] as const;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface ModelObject {
  categories: Array<{ name: string; count: number }>;
  training_runs: Array<{ state: string; data: { moderated_pages: number; documents: number } | null }>;
}

type Box = { xmin: number; ymin: number; xmax: number; ymax: number };
const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * The predict → moderate → retrain loop in a browser: a model trained on generated shipping labels
 * (real API, train queue, worker and engine) predicts the fields of a label it never saw; in the
 * review page a reviewer corrects a value, moves a box, draws one, deletes a field and adds it back
 * from the words on the page, approves; the database, the model's counts and the next training
 * run's data show it.
 */
describe('review page: moderating a custom model`s fields in Chromium', () => {
  let stack: Stack;
  let api: NanonetsHttp;
  let browser: Browser;
  let page: Page;
  let modelId: string;

  const model = async () => (await api.get<ModelObject>(`/OCR/Model/${modelId}`)).body;
  const waitTrained = (runs: number) =>
    eventually(
      async () => {
        const m = await model();
        const run = m.training_runs[0];
        if (run?.state === 'failed') throw new Error(JSON.stringify(run));
        return m.training_runs.length === runs && run?.state === 'succeeded' ? m : undefined;
      },
      400_000,
      'training run',
    );

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    api = nanonetsHttp(stack.api.url, stack.dev.apiKey);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('corrects a value, moves and draws boxes, deletes a field and adds it from words, approves: counts and training data follow', async () => {
    // Train a model on 12 annotated labels (loose line boxes, values as ocr_text).
    const created = await api.postJson<{ model_id: string }>('/OCR/Model/', { categories: CATEGORIES, model_type: 'ocr' });
    expect(created.status).toBe(200);
    modelId = created.body.model_id;
    const train = Array.from({ length: 12 }, (_, i) => label(100 + i));
    const images = await Promise.all(train.map((l) => makeTextPng(l.lines, { fontSize: FONT, padding: PAD, width: WIDTH })));
    const data = train.map((l, i) => ({ filename: `label-${i}.png`, object: CATEGORIES.map((name) => ({ name, ocr_text: l.values[name], bndbox: lineBox(l.rows[name]) })) }));
    const up = await api.postMultipart(`/OCR/Model/${modelId}/UploadFile/`, images.map((bytes, i) => ({ name: `label-${i}.png`, bytes, type: 'image/png' })), { data: JSON.stringify(data) });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect((await api.postJson(`/OCR/Model/${modelId}/Train/`, {})).status).toBe(200);
    const trained = await waitTrained(1);
    expect(trained.categories.map((c) => [c.name, c.count])).toEqual(CATEGORIES.map((c) => [c, 12]));

    // A label it never saw, read through LabelFile: the page's predictions are the model's fields.
    const held = label(901);
    const png = await makeTextPng(held.lines, { fontSize: FONT, padding: PAD, width: WIDTH });
    const labelled = await api.postMultipart<{ result: Array<{ id: string; message: string }> }>(`/OCR/Model/${modelId}/LabelFile/`, [{ name: 'held.png', bytes: png, type: 'image/png' }]);
    expect(labelled.status, JSON.stringify(labelled.body)).toBe(200);
    const pageId = labelled.body.result[0]!.id;
    const call = reviewClient(stack.api.url, stack.dev.apiKey);
    const detail = async () => (await call<ReviewPageDetail>('GET', `/v1/review/pages/${pageId}`)).body;
    const predicted = await detail();
    expect(predicted.categories).toEqual([...CATEGORIES]);
    const fieldOf = (p: ReviewPageDetail, category: string) => p.predictions.find((f) => f.label === category);
    for (const c of CATEGORIES) expect(fieldOf(predicted, c), `${c} in ${JSON.stringify(predicted.predictions)}`).toMatchObject({ type: 'field', source: 'model' });
    expect(predicted.predictions.every((p) => p.type === 'field' && (CATEGORIES as readonly string[]).includes(p.label))).toBe(true);

    // Sign in; the queue opens the page; its fields are listed by category and drawn over the image.
    await page.goto(`${stack.api.url}/review/`);
    await page.locator('#api-key').fill(stack.dev.apiKey);
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#page-meta dd').last().textContent(), { timeout: 15_000 }).toBe(pageId);
    await page.waitForFunction(() => {
      const img = document.getElementById('page-image') as HTMLImageElement | null;
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    expect(await page.locator('#predictions-title').textContent()).toBe('Fields');
    expect(await page.locator('#predictions li.category').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')))).toEqual([...CATEGORIES]);
    expect(await page.locator('#boxes rect.field').count()).toBe(predicted.predictions.length);
    expect(await page.locator('#boxes rect.word').count()).toBe(predicted.words.length);

    // Page pixels → screen points on the displayed overlay.
    const overlay = (await page.locator('#boxes').boundingBox())!;
    const scale = overlay.width / predicted.width!;
    const at = (x: number, y: number) => ({ x: overlay.x + x * scale, y: overlay.y + y * scale });
    const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      await page.mouse.up();
    };
    const events = () => page.locator('#events li[data-action]').count();
    const waitEvents = (n: number) => expect.poll(events, { timeout: 15_000 }).toBe(n);

    // 1. Correct the tracking number's value in its category's input.
    const tracking = page.locator('#predictions li.category[data-category="tracking_number"] .field-value');
    await tracking.fill('TRK000000042');
    await tracking.press('Enter');
    await waitEvents(1);

    // 2. Move the tracking number's box 20 px right by dragging it.
    const trackingBox = fieldOf(await detail(), 'tracking_number')!;
    const mid = { x: (trackingBox.xmin + trackingBox.xmax) / 2, y: (trackingBox.ymin + trackingBox.ymax) / 2 };
    await drag(at(mid.x, mid.y), at(mid.x + 20, mid.y));
    await waitEvents(2);

    // 3. Draw the weight's box again: "Box", then drag over the page.
    const drawn: Box = { xmin: 40, ymin: fieldOf(predicted, 'weight')!.ymin - 4, xmax: 400, ymax: fieldOf(predicted, 'weight')!.ymax + 4 };
    await page.locator('#predictions li.category[data-category="weight"] button.draw').click();
    await page.locator('#draw-hint').waitFor();
    await drag(at(drawn.xmin, drawn.ymin), at(drawn.xmax, drawn.ymax));
    await waitEvents(3);

    // 4. Delete the sender field.
    const sender = fieldOf(predicted, 'sender')!;
    await page.locator(`#predictions li[data-prediction-id="${sender.id}"] button.delete`).click();
    await waitEvents(4);
    expect(await page.locator('#predictions li.category[data-category="sender"] .empty-field').count()).toBe(1);

    // 5. Add it back from the words: drag across the sender's words on its line (not "FROM").
    const senderLine = predicted.words.find((w) => w.text === 'FROM')!.line;
    const words = predicted.words.filter((w) => w.line === senderLine && w.text !== 'FROM');
    expect(squash(words.map((w) => w.text).join(''))).toBe(squash(held.values.sender));
    const first = words[0]!;
    const last = words.at(-1)!;
    const y = (first.ymin + first.ymax) / 2;
    await drag(at(first.xmin + 3, y), at(last.xmax - 3, y + 1));
    await expect.poll(() => page.locator('#boxes rect.word.picked').count(), { timeout: 5_000 }).toBe(words.length);
    await page.locator('#new-category').selectOption('sender');
    await page.locator('#add-field-button').click();
    await waitEvents(5);

    // 6. Approve with "a".
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#page-state').textContent(), { timeout: 15_000 }).toBe('approved');
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The database: the page approved, its standing fields as the reviewer left them, audited.
    const rows = await stack.db.prisma.prediction.findMany({ where: { pageId, active: true }, orderBy: { order: 'asc' } });
    const row = (category: string) => rows.find((r) => r.label === category)!;
    expect(rows.map((r) => r.label).sort()).toEqual(['sender', 'tracking_number', 'weight']);
    expect(row('tracking_number')).toMatchObject({ ocrText: 'TRK000000042', source: 'MODERATOR', score: 1 });
    expect(Math.abs(row('tracking_number').xmin - (trackingBox.xmin + 20))).toBeLessThanOrEqual(2);
    expect(row('tracking_number').xmax - row('tracking_number').xmin).toBe(trackingBox.xmax - trackingBox.xmin);
    for (const edge of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(row('weight')[edge] - drawn[edge]), edge).toBeLessThanOrEqual(2);
    expect(row('weight').ocrText).toBe(fieldOf(predicted, 'weight')!.ocr_text);
    expect(row('sender')).toMatchObject({
      source: 'MODERATOR',
      ocrText: words.map((w) => w.text).join(' '),
      xmin: Math.min(...words.map((w) => w.xmin)),
      ymin: Math.min(...words.map((w) => w.ymin)),
      xmax: Math.max(...words.map((w) => w.xmax)),
      ymax: Math.max(...words.map((w) => w.ymax)),
    });
    const pageRow = await stack.db.prisma.page.findUniqueOrThrow({ where: { id: pageId }, select: { moderationState: true } });
    expect(pageRow.moderationState).toBe('APPROVED');
    const actions = (await stack.db.prisma.moderationEvent.findMany({ where: { pageId }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['update', 'update', 'update', 'delete', 'create', 'approve']);

    // Approval made the fields training data: the counts rose by one each, and the next run uses the page.
    expect((await model()).categories.map((c) => [c.name, c.count])).toEqual(CATEGORIES.map((c) => [c, 13]));
    expect((await api.postJson(`/OCR/Model/${modelId}/Train/`, {})).status).toBe(200);
    const retrained = await waitTrained(2);
    expect(retrained.training_runs[0]!.data).toMatchObject({ moderated_pages: 1, documents: 13 });
  }, 900_000);
});
