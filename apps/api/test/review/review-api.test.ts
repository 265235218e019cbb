import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewPageDetail, ReviewPageList, ReviewPrediction } from '@folio/contracts';
import type { Storage } from '@folio/storage';
import { nanonetsClient, type InferenceFileBody } from '../support/nanonets.client.ts';
import { basicAuth, startStack, type Stack } from '../support/stack.ts';
import { reviewClient, seedRecognizedPage, stackStorage, type SeededPage } from './review.support.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('review API (/v1/review): queue, page, image, moderation, validation', () => {
  let stack: Stack;
  let storage: Storage;
  let call: ReturnType<typeof reviewClient>;
  let keyId: string;
  let pages: SeededPage[];
  let filesApi: SeededPage;
  let other: { orgId: string; modelId: string; apiKey: string; page: SeededPage };

  beforeAll(async () => {
    stack = await startStack();
    storage = stackStorage(stack);
    call = reviewClient(stack.api.url, stack.dev.apiKey);
    keyId = (await stack.db.apiKeys.findActiveByPlaintext(stack.dev.apiKey))!.apiKey.id;
    const { orgId, modelId } = stack.dev;
    pages = [
      await seedRecognizedPage(stack, storage, { orgId, modelId, filename: 'sure.png', lines: ['All good here', 'Nothing to see'], scores: [0.98, 0.95] }),
      await seedRecognizedPage(stack, storage, { orgId, modelId, filename: 'unsure.png', lines: ['Invoice 2024-001', 'Total 12.5O EUR'], scores: [0.97, 0.41] }),
      await seedRecognizedPage(stack, storage, { orgId, modelId, filename: 'middling.png', lines: ['Receipt', 'Coffee 3.50'], scores: [0.9, 0.75] }),
    ];
    // A Files API upload has no model; the queue holds every page of the organization, so it is queued too.
    filesApi = await seedRecognizedPage(stack, storage, { orgId, modelId: null, filename: 'files-api.png', lines: ['No model'], scores: [0.05] });
    const org = await stack.db.organizations.create({ name: 'Other tenant' });
    const model = await stack.db.models.create({ orgId: org.id, name: 'theirs' });
    const key = await stack.db.apiKeys.create(org.id);
    other = {
      orgId: org.id,
      modelId: model.id,
      apiKey: key.plaintext,
      page: await seedRecognizedPage(stack, storage, { orgId: org.id, modelId: model.id, lines: ['Secret'], scores: [0.1] }),
    };
  });
  afterAll(async () => {
    storage?.close();
    await stack?.close();
  });

  /** Every prediction row and audit event of a page, to prove a refused request wrote nothing. */
  const footprint = async (pageId: string) => {
    const [boxes, events, page] = await Promise.all([
      stack.db.prisma.prediction.findMany({ where: { pageId }, orderBy: { id: 'asc' } }),
      stack.db.prisma.moderationEvent.count({ where: { pageId } }),
      stack.db.prisma.page.findUnique({ where: { id: pageId }, select: { moderationState: true, minConfidence: true, updatedAt: true } }),
    ]);
    return JSON.stringify({ boxes, events, page });
  };

  it('lists the queue lowest confidence first, with a cursor, filters and clear 4xx for bad queries', async () => {
    const [sure, unsure, middling] = pages as [SeededPage, SeededPage, SeededPage];
    const all = await call<ReviewPageList>('GET', `/v1/review/pages?model_id=${stack.dev.modelId}`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.data.map((p) => p.id)).toEqual([unsure.pageId, middling.pageId, sure.pageId]);
    expect(all.body.data[0]).toMatchObject({ filename: 'unsure.png', page: 0, moderation_state: 'unmoderated', min_confidence: 0.41, status: 'done' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: ReviewPageList } = await call<ReviewPageList>('GET', `/v1/review/pages?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.data).toHaveLength(1);
      seen.push(res.body.data[0]!.id);
      cursor = res.body.next_cursor;
    } while (cursor);
    // Without fields, pages go lowest word score first; the Files API page (no model) among them.
    expect(seen).toEqual([filesApi.pageId, unsure.pageId, middling.pageId, sure.pageId]);

    expect((await call<ReviewPageList>('GET', '/v1/review/pages')).body.total).toBe(4);
    expect((await call<ReviewPageList>('GET', '/v1/review/pages')).body.data[0]).toMatchObject({ model_id: null, min_field_score: null, min_word_score: 0.05 });
    expect((await call<ReviewPageList>('GET', '/v1/review/pages?max_confidence=0.8')).body.total).toBe(3);
    expect((await call<ReviewPageList>('GET', '/v1/review/pages?state=approved')).body.total).toBe(0);
    expect((await call<ReviewPageList>('GET', '/v1/review/pages?from_day=1&to_day=2')).body.total).toBe(0);
    // The other tenant's page is never listed.
    expect((await call<ReviewPageList>('GET', '/v1/review/pages?state=all&limit=200')).body.data.map((p) => p.id)).not.toContain(other.page.pageId);

    for (const [query, status, message] of [
      ['limit=0', 400, /limit: Expected an integer between 1 and 200/],
      ['state=done', 400, /state: Invalid option/],
      ['model_id=abc', 400, /model_id must be a UUID/],
      ['cursor=garbage', 400, /cursor is not one this API handed out/],
      ['from_day=20&to_day=10', 400, /from_day \(20\) is after to_day \(10\)/],
      ['max_confidence=2', 400, /max_confidence: Expected a number between 0 and 1/],
      ['sort=asc', 400, /Unrecognized key: "sort"/],
      [`model_id=${UNKNOWN}`, 404, /Model .* not found/],
      [`model_id=${other.modelId}`, 404, /Model .* not found/],
    ] as const) {
      const res = await call('GET', `/v1/review/pages?${query}`);
      expect(res.status, query).toBe(status);
      expect(res.body.error.message, query).toMatch(message);
    }
    expect((await fetch(`${stack.api.url}/v1/review/pages`)).status).toBe(401);
  });

  it('answers one page with its boxes, image URL and (empty) audit trail; other ids are 404', async () => {
    const page = pages[1]!;
    const res = await call<ReviewPageDetail>('GET', `/v1/review/pages/${page.pageId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: page.pageId, file_id: page.fileId, width: page.width, height: page.height, image_path: `/v1/review/pages/${page.pageId}/image`, events: [] });
    expect(res.body.predictions.map((p) => [p.ocr_text, p.score, p.source])).toEqual([
      ['Invoice 2024-001', 0.97, 'model'],
      ['Total 12.5O EUR', 0.41, 'model'],
    ]);
    const image = await fetch(res.body.image_url!);
    expect(Buffer.from(await image.arrayBuffer()).equals(page.png)).toBe(true);

    expect((await call('GET', `/v1/review/pages/${other.page.pageId}`)).status).toBe(404);
    expect((await call('GET', `/v1/review/pages/${UNKNOWN}`)).body.error.message).toBe(`Page ${UNKNOWN} not found.`);
    expect((await call('GET', '/v1/review/pages/nope')).body.error).toMatchObject({ code: 'bad_request', message: 'page_id: page_id must be a UUID.' });
  });

  it('edits, adds and removes boxes and sets states, each audited with the key id, and Nanonets retrieval follows', async () => {
    const page = pages[1]!;
    const detail = (await call<ReviewPageDetail>('GET', `/v1/review/pages/${page.pageId}`)).body;
    const total = detail.predictions[1]!;

    const edited = await call<ReviewPrediction>('PATCH', `/v1/review/pages/${page.pageId}/predictions/${total.id}`, { ocr_text: 'Total 12.50 EUR' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ ocr_text: 'Total 12.50 EUR', source: 'moderator', score: 1, xmin: total.xmin, order: total.order });
    expect(edited.body.id).not.toBe(total.id);
    // The replaced model box is stale now.
    const stale = await call('PATCH', `/v1/review/pages/${page.pageId}/predictions/${total.id}`, { ocr_text: 'again' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.reason).toBe('prediction_inactive');

    const moved = await call<ReviewPrediction>('PATCH', `/v1/review/pages/${page.pageId}/predictions/${edited.body.id}`, { xmax: page.width - 1 });
    expect(moved.body).toMatchObject({ id: edited.body.id, xmax: page.width - 1 });
    const added = await call<ReviewPrediction>('POST', `/v1/review/pages/${page.pageId}/predictions`, { xmin: 10, ymin: 5, xmax: 60, ymax: 30, ocr_text: 'stamp' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ label: 'text', source: 'moderator', score: 1, ocr_text: 'stamp', order: 2 });
    const removed = await call<ReviewPrediction>('DELETE', `/v1/review/pages/${page.pageId}/predictions/${detail.predictions[0]!.id}`);
    expect(removed.body).toMatchObject({ active: false, ocr_text: 'Invoice 2024-001' });

    const approved = await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.moderation_state).toBe('approved');
    expect(approved.body.min_confidence).toBe(1);
    expect(approved.body.predictions.map((p) => p.ocr_text)).toEqual(['Total 12.50 EUR', 'stamp']);
    expect(approved.body.events.map((e) => [e.action, e.actor])).toEqual([
      ['update', keyId],
      ['update', keyId],
      ['create', keyId],
      ['delete', keyId],
      ['approve', keyId],
    ]);
    expect(approved.body.events[0]).toMatchObject({ prediction_id: edited.body.id, before: { ocrText: 'Total 12.5O EUR' }, after: { ocrText: 'Total 12.50 EUR' } });
    // Approving again changes nothing and records nothing.
    expect((await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/approve`)).body.events).toHaveLength(5);
    // The approved page left the default (unmoderated) queue.
    expect((await call<ReviewPageList>('GET', '/v1/review/pages')).body.data.map((p) => p.id)).not.toContain(page.pageId);

    const nanonets = nanonetsClient(stack.api.url, stack.dev.apiKey, stack.dev.modelId);
    const byFile = (await nanonets.inferenceFile(page.fileId)).body;
    expect(byFile.moderated_images_count).toBe(1);
    const moderated = byFile.moderated_images[0]!;
    expect(moderated).toMatchObject({ id: page.pageId, is_moderated: true, moderation_state: 'approved' });
    expect(moderated.moderated_boxes.map((b) => [b.ocr_text, b.status])).toEqual([
      ['Total 12.50 EUR', 'moderated'],
      ['stamp', 'moderated'],
    ]);
    expect(moderated.predicted_boxes.map((b) => b.ocr_text)).toEqual(['Invoice 2024-001', 'Total 12.5O EUR']);
    const byPage = (await nanonets.inferencePage(page.fileId, page.pageId)).body;
    expect(byPage.moderated_images[0]?.moderated_boxes.map((b) => b.ocr_text)).toEqual(['Total 12.50 EUR', 'stamp']);

    const day = moderated.day_since_epoch;
    const windowUrl = `${stack.api.url}/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/?start_day_interval=0&current_batch_day=${day}`;
    const window = async () => (await (await fetch(windowUrl, { headers: { authorization: basicAuth(stack.dev.apiKey) } })).json()) as InferenceFileBody;
    const approvedWindow = await window();
    expect(approvedWindow.moderated_images.map((p) => p.id)).toEqual([page.pageId]);
    expect(approvedWindow.unmoderated_images_count).toBe(2);

    const rejected = await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/reject`);
    expect(rejected.body.moderation_state).toBe('rejected');
    const rejectedWindow = await window();
    expect(rejectedWindow.moderated_images_count).toBe(0);
    expect(rejectedWindow.unmoderated_images.find((p) => p.id === page.pageId)).toMatchObject({ is_moderated: false, moderation_state: 'rejected' });
    const reset = await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/reset`);
    expect(reset.body.moderation_state).toBe('unmoderated');
    expect(reset.body.events.map((e) => e.action).slice(-2)).toEqual(['reject', 'reset']);

    // Revert: the moderator boxes leave, the model's boxes stand again; the state stays.
    const reverted = await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/revert`);
    expect(reverted.status).toBe(200);
    expect(reverted.body.predictions.map((p) => [p.ocr_text, p.source])).toEqual([
      ['Invoice 2024-001', 'model'],
      ['Total 12.5O EUR', 'model'],
    ]);
    expect(reverted.body.moderation_state).toBe('unmoderated');
    expect(reverted.body.min_confidence).toBe(Math.min(...detail.predictions.map((p) => p.score)));
    const revertEvent = reverted.body.events.at(-1)!;
    expect(revertEvent).toMatchObject({ action: 'revert', actor: keyId });
    expect((revertEvent.before as { moderatorBoxes: string[] }).moderatorBoxes.sort()).toEqual([edited.body.id, added.body.id].sort());
    expect((revertEvent.after as { modelBoxes: string[] }).modelBoxes.sort()).toEqual(detail.predictions.map((p) => p.id).sort());
    // Nothing left to undo: no change, no event.
    expect((await call<ReviewPageDetail>('POST', `/v1/review/pages/${page.pageId}/revert`)).body.events).toHaveLength(reverted.body.events.length);
    const unmoderatedPage = await nanonets.inferencePage(page.fileId, page.pageId);
    expect(unmoderatedPage.body.unmoderated_images[0]?.moderated_boxes.map((b) => b.ocr_text)).toEqual(['Invoice 2024-001', 'Total 12.5O EUR']);
  });

  it('refuses bad ids, boxes, bodies and other tenants with a clear 4xx, writing nothing', async () => {
    const page = pages[2]!;
    const box = (await call<ReviewPageDetail>('GET', `/v1/review/pages/${page.pageId}`)).body.predictions[0]!;
    const otherBox = (await call<ReviewPageDetail>('GET', `/v1/review/pages/${pages[0]!.pageId}`)).body.predictions[0]!;
    const boxPath = `/v1/review/pages/${page.pageId}/predictions/${box.id}`;
    const before = await footprint(page.pageId);

    const cases: Array<[string, string, unknown, number, RegExp, { raw?: string; contentType?: string }?]> = [
      ['PATCH', boxPath, undefined, 400, /request body is empty; send a JSON object .* with at least one of label, ocr_text/],
      ['PATCH', boxPath, {}, 400, /request body is empty/],
      ['PATCH', boxPath, undefined, 400, /request body is empty/, { raw: 'ocr_text=x', contentType: 'application/x-www-form-urlencoded' }],
      ['PATCH', boxPath, undefined, 400, /not valid JSON/, { raw: '{"ocr_text":' }],
      ['PATCH', boxPath, [1, 2], 400, /request body is empty/],
      ['PATCH', boxPath, { text: 'typo' }, 400, /Unrecognized key: "text"/],
      ['PATCH', boxPath, { ocr_text: 42 }, 400, /ocr_text: Invalid input: expected string/],
      ['PATCH', boxPath, { xmin: 500, xmax: 10 }, 422, /Invalid box: xmin \(500\) must be less than xmax \(10\)/],
      ['PATCH', boxPath, { ymin: box.ymax }, 422, /ymin \(\d+\) must be less than ymax/],
      ['PATCH', boxPath, { xmin: -3 }, 400, /xmin must not be negative/],
      ['PATCH', boxPath, { xmin: 1.5 }, 400, /xmin must be an integer number of pixels/],
      ['PATCH', boxPath, { xmax: page.width + 1 }, 422, new RegExp(`xmax \\(${page.width + 1}\\) lies outside the page \\(width ${page.width} px\\)`)],
      ['PATCH', boxPath, { ymax: page.height + 50 }, 422, /lies outside the page/],
      ['PATCH', boxPath, { score: 7 }, 400, /score must be between 0 and 1/],
      ['PATCH', boxPath, { label: '  ' }, 400, /label must not be empty/],
      ['PATCH', `/v1/review/pages/${page.pageId}/predictions/${UNKNOWN}`, { ocr_text: 'x' }, 404, /Prediction .* not found on page/],
      ['PATCH', `/v1/review/pages/${page.pageId}/predictions/${otherBox.id}`, { ocr_text: 'x' }, 404, /not found on page/],
      ['PATCH', `/v1/review/pages/${page.pageId}/predictions/42`, { ocr_text: 'x' }, 400, /prediction_id must be a UUID/],
      ['DELETE', `/v1/review/pages/${page.pageId}/predictions/${UNKNOWN}`, undefined, 404, /not found on page/],
      ['POST', `/v1/review/pages/${page.pageId}/predictions`, undefined, 400, /request body is empty; send .* with xmin, ymin, xmax, ymax and ocr_text/],
      ['POST', `/v1/review/pages/${page.pageId}/predictions`, { ocr_text: 'x' }, 400, /xmin must be an integer number of pixels/],
      ['POST', `/v1/review/pages/${page.pageId}/predictions`, { xmin: 5, ymin: 5, xmax: 5, ymax: 9 }, 422, /xmin \(5\) must be less than xmax \(5\)/],
      ['POST', `/v1/review/pages/${page.pageId}/predictions`, { xmin: 0, ymin: 0, xmax: 10, ymax: page.height + 1 }, 422, /ymax .* outside the page/],
      ['POST', `/v1/review/pages/${page.pageId}/predictions`, { xmin: 0, ymin: 0, xmax: 10, ymax: 10, type: 'table' }, 400, /type: Invalid option/],
      ['POST', `/v1/review/pages/${UNKNOWN}/approve`, undefined, 404, /Page .* not found/],
      ['POST', `/v1/review/pages/nope/reject`, undefined, 400, /page_id must be a UUID/],
      ['POST', `/v1/review/pages/${UNKNOWN}/revert`, undefined, 404, /Page .* not found/],
      ['POST', `/v1/review/pages/nope/revert`, undefined, 400, /page_id must be a UUID/],
    ];
    for (const [method, path, body, status, message, raw] of cases) {
      const res = await call(method, path, body, raw);
      expect(res.status, `${method} ${path} ${JSON.stringify(body ?? raw)}`).toBe(status);
      expect(res.body.error.message, `${method} ${path} ${JSON.stringify(body ?? raw)}`).toMatch(message);
    }
    expect(await footprint(page.pageId)).toBe(before);

    // Another tenant's page and boxes act as unknown, and are left alone.
    const theirs = other.page.pageId;
    const theirsBefore = await footprint(theirs);
    const theirBox = (await stack.db.predictions.listByPage(theirs))[0]!;
    for (const [method, path, body] of [
      ['POST', `/v1/review/pages/${theirs}/approve`, undefined],
      ['POST', `/v1/review/pages/${theirs}/revert`, undefined],
      ['POST', `/v1/review/pages/${theirs}/predictions`, { xmin: 1, ymin: 1, xmax: 5, ymax: 5 }],
      ['PATCH', `/v1/review/pages/${theirs}/predictions/${theirBox.id}`, { ocr_text: 'mine now' }],
      ['DELETE', `/v1/review/pages/${theirs}/predictions/${theirBox.id}`, undefined],
      ['GET', `/v1/review/pages/${theirs}/image`, undefined],
    ] as const) {
      expect((await call(method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    expect(await footprint(theirs)).toBe(theirsBefore);
    // ... while their own key works on it.
    expect((await reviewClient(stack.api.url, other.apiKey)('GET', `/v1/review/pages/${theirs}`)).status).toBe(200);

    // A page still being processed cannot be moderated.
    const file = await stack.db.files.create({ orgId: stack.dev.orgId, modelId: stack.dev.modelId, filename: 'queued.png' });
    const [queued] = await stack.db.files.createPages(file.id, 1);
    const refused = await call('POST', `/v1/review/pages/${queued!.id}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ reason: 'page_not_done', message: `Page ${queued!.id} is queued; only recognized pages can be moderated.` });
    expect((await call('POST', `/v1/review/pages/${queued!.id}/revert`)).status).toBe(409);
    const noImage = await call('GET', `/v1/review/pages/${queued!.id}/image`);
    expect(noImage.body.error).toMatchObject({ reason: 'image_not_ready' });
    expect(await footprint(queued!.id)).toContain('"events":0');
  });

  it('serves the page PNG plain, or with its boxes drawn in, on the review and Nanonets routes', async () => {
    const page = pages[0]!;
    const auth = { authorization: `Bearer ${stack.dev.apiKey}` };
    const plain = await fetch(`${stack.api.url}/v1/review/pages/${page.pageId}/image`, { headers: auth });
    expect(plain.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await plain.arrayBuffer()).equals(page.png)).toBe(true);

    const drawn = await fetch(`${stack.api.url}/v1/review/pages/${page.pageId}/image?overlay=1`, { headers: auth });
    expect(drawn.status).toBe(200);
    const png = Buffer.from(await drawn.arrayBuffer());
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([page.width, page.height]);
    // The first box's left edge (score 0.98) is drawn green.
    const box = (await stack.db.predictions.listByPage(page.pageId))[0]!;
    const at = ((box.ymin + box.ymax) / 2) * info.width + box.xmin;
    const [r, g, b] = [data[at * 3]!, data[at * 3 + 1]!, data[at * 3 + 2]!];
    expect(g).toBeGreaterThan(r + 40);
    expect(g).toBeGreaterThan(b + 40);

    const nanonetsPath = `/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${page.fileId}/page/${page.pageId}/image`;
    const basic = { authorization: basicAuth(stack.dev.apiKey) };
    const viaNanonets = await fetch(`${stack.api.url}${nanonetsPath}?overlay=1`, { headers: basic });
    expect(viaNanonets.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await viaNanonets.arrayBuffer()).equals(png)).toBe(true);
    const plainNanonets = await fetch(`${stack.api.url}${nanonetsPath}`, { headers: basic });
    expect(Buffer.from(await plainNanonets.arrayBuffer()).equals(page.png)).toBe(true);

    const wrongFile = `/api/v2/Inferences/Model/${stack.dev.modelId}/InferenceRequest/${pages[1]!.fileId}/page/${page.pageId}/image`;
    expect((await fetch(`${stack.api.url}${wrongFile}`, { headers: basic })).status).toBe(404);
    const badFlag = await fetch(`${stack.api.url}${nanonetsPath}?overlay=maybe`, { headers: basic });
    expect(badFlag.status).toBe(400);
    expect(((await badFlag.json()) as { message: string }).message).toMatch(/Expected a boolean/);
    expect((await fetch(`${stack.api.url}${nanonetsPath}`)).status).toBe(401);
  });

  it('serves the review page as static files with a strict content security policy', async () => {
    const redirect = await fetch(`${stack.api.url}/review`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    const html = await fetch(`${stack.api.url}/review/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('<script type="module" src="review.js"></script>');
    const js = await fetch(`${stack.api.url}/review/review.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    // Every module review.js imports is served beside it.
    const imports = [...(await js.text()).matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(2);
    for (const name of imports) {
      const mod = await fetch(`${stack.api.url}/review/${name}`);
      expect(mod.status, name).toBe(200);
      expect(mod.headers.get('content-type'), name).toMatch(/javascript/);
    }
    expect((await fetch(`${stack.api.url}/review/missing.js`)).status).toBe(404);
  });
});
