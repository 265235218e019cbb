import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewPageDetail } from '@folio/contracts';
import { makeTextPng } from '@folio/documents/testing';
import { nanonetsClient, type InferenceFileBody } from '../../../apps/api/test/support/nanonets.client.ts';
import { basicAuth, startStack, type Stack } from '../../support/stack.ts';
import { reviewClient } from '../../../apps/api/test/review/review.support.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOT = path.join(repoRoot, 'test-output/review/review-page.png');

describe('review page in a browser (API + worker with the real engine, Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('approves a page with "a", edits a word by click and typing, and the JSON API and Nanonets retrieval show it', async () => {
    const nanonets = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const invoice = await makeTextPng(['Invoice number 4521', 'Total due 12.50 EUR', 'Thank you for your order']);
    const receipt = await makeTextPng(['Corner shop receipt', 'Coffee 3.50']);
    // Sync LabelFile: the answer comes once the worker has recognized both pages.
    const labelled = await nanonets.labelFile([
      { name: 'invoice.png', bytes: invoice, type: 'image/png' },
      { name: 'receipt.png', bytes: receipt, type: 'image/png' },
    ]);
    expect(labelled.status).toBe(200);
    const [invoiceEntry, receiptEntry] = labelled.body.result as Array<{ request_file_id: string; id: string; message: string }>;
    expect([invoiceEntry?.message, receiptEntry?.message]).toEqual(['Success', 'Success']);
    const invoicePageId = invoiceEntry!.id;
    const receiptPageId = receiptEntry!.id;
    const call = reviewClient(stack.api.url, stack.dev.apiKey);
    const recognized = (await call<ReviewPageDetail>('GET', `/v1/review/pages/${invoicePageId}`)).body;
    const line = recognized.predictions.find((p) => /invoice/i.test(p.ocr_text));
    expect(line, JSON.stringify(recognized.predictions.map((p) => p.ocr_text))).toBeDefined();
    const editedText = line!.ocr_text.replace(/invoice/i, 'Receipt');

    // Sign in: the key is asked for, then kept in localStorage.
    await page.goto(`${stack.api.url}/review/`);
    await page.locator('#api-key').fill(stack.dev.apiKey);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#queue li').nth(1).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('folio.review.apiKey'))).toBe(stack.dev.apiKey);
    expect(await page.locator('#login').isHidden()).toBe(true);
    expect(await page.locator('#queue-count').textContent()).toBe('2 pages in the queue');

    // j / k walk the queue.
    const selected = () => page.locator('#queue li[aria-selected="true"]').getAttribute('data-page-id');
    const first = await selected();
    await page.keyboard.press('j');
    await expect.poll(selected).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(first);

    // Open the invoice page from the queue; its image and boxes are drawn.
    await page.locator(`#queue li[data-page-id="${invoicePageId}"]`).click();
    await expect.poll(() => page.locator('#page-meta dd').last().textContent()).toBe(invoicePageId);
    await page.waitForFunction(() => {
      const img = document.getElementById('page-image') as HTMLImageElement | null;
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    expect(await page.locator('#boxes rect').count()).toBe(recognized.predictions.length);
    await expect.poll(() => page.locator('#page-state').textContent()).toBe('unmoderated');

    // a approves.
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('#page-state').textContent()).toBe('approved');

    // Click the line's box, type the corrected text over the selection, Enter saves.
    await page.locator(`#boxes rect[data-prediction-id="${line!.id}"]`).click();
    const input = page.locator('#editor-input');
    await input.waitFor({ state: 'visible' });
    expect(await input.inputValue()).toBe(line!.ocr_text);
    await page.keyboard.type(editedText);
    await page.keyboard.press('Enter');
    await page.locator('#events li[data-action="update"]').waitFor();
    await page.locator('#boxes rect.moderator').waitFor();
    expect(await page.locator('#boxes rect.moderator').getAttribute('data-text')).toBe(editedText);
    expect(await page.locator('#boxes text.label').allTextContents()).toContain(`${editedText} · 1.00`);
    expect(await page.locator('#editor').isHidden()).toBe(true);
    // The approved page left the unmoderated queue; the page stays open.
    expect(await page.locator('#queue li').count()).toBe(1);

    // The displayed boxes follow the displayed image's size.
    const [imgBox, svgBox] = await Promise.all([page.locator('#page-image').boundingBox(), page.locator('#boxes').boundingBox()]);
    expect(svgBox).toEqual(imgBox);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The JSON API: state, the edited box, the audit trail with the key id.
    const keyId = (await stack.db.apiKeys.findActiveByPlaintext(stack.dev.apiKey))!.apiKey.id;
    const detail = (await call<ReviewPageDetail>('GET', `/v1/review/pages/${invoicePageId}`)).body;
    expect(detail.moderation_state).toBe('approved');
    expect(detail.predictions.find((p) => p.ocr_text === editedText)).toMatchObject({ source: 'moderator', score: 1, order: line!.order });
    expect(detail.predictions.map((p) => p.id)).not.toContain(line!.id);
    expect(detail.events.map((e) => [e.action, e.actor])).toEqual([
      ['approve', keyId],
      ['update', keyId],
    ]);
    expect(detail.events[1]).toMatchObject({ before: { ocrText: line!.ocr_text }, after: { ocrText: editedText } });
    const rows = await stack.db.prisma.moderationEvent.count({ where: { pageId: invoicePageId } });
    expect(rows).toBe(2);

    // Nanonets retrieval: by file, by page and by day window, the moderated answer.
    const byFile = (await nanonets.inferenceFile(invoiceEntry!.request_file_id)).body;
    expect(byFile.moderated_images_count).toBe(1);
    expect(byFile.moderated_images[0]).toMatchObject({ id: invoicePageId, is_moderated: true, moderation_state: 'approved' });
    expect(byFile.moderated_images[0]!.moderated_boxes.map((b) => b.ocr_text)).toContain(editedText);
    expect(byFile.moderated_images[0]!.predicted_boxes.map((b) => b.ocr_text)).toContain(line!.ocr_text);
    const byPage = (await nanonets.inferencePage(invoiceEntry!.request_file_id, invoicePageId)).body;
    expect(byPage.moderated_images[0]!.moderated_boxes.find((b) => b.ocr_text === editedText)).toMatchObject({ status: 'moderated' });
    const day = byFile.moderated_images[0]!.day_since_epoch;
    const windowRes = await fetch(`${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/?start_day_interval=1&current_batch_day=${day}`, {
      headers: { authorization: basicAuth(stack.dev.apiKey) },
    });
    const window = (await windowRes.json()) as InferenceFileBody;
    expect(window.moderated_images.map((p) => p.id)).toEqual([invoicePageId]);
    expect(window.unmoderated_images.map((p) => p.id)).toEqual([receiptPageId]);

    // Revert edits: the model's box is drawn again, the trail says so, the page stays approved.
    await page.locator('#revert').click();
    await page.locator('#events li[data-action="revert"]').waitFor();
    expect(await page.locator('#boxes rect.moderator').count()).toBe(0);
    expect(await page.locator(`#boxes rect[data-prediction-id="${line!.id}"]`).getAttribute('data-text')).toBe(line!.ocr_text);
    expect(await page.locator('#events li[data-action="revert"]').textContent()).toMatch(/revert: 1 edited box\(es\) out, 1 model box\(es\) back/);
    expect(await page.locator('#page-state').textContent()).toBe('approved');
  });
});
