import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, daySinceEpoch, isDbError, PAGE_NOT_PROCESSED, type PredictionInput } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let tdb: TestDatabase;
let db: Db;
let orgId: string;
let otherOrgId: string;
let modelId: string;

beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'files' });
  db = createDb(tdb.url, { poolSize: 6 });
  orgId = (await db.organizations.create({ name: 'Tenant' })).id;
  otherOrgId = (await db.organizations.create({ name: 'Intruder' })).id;
  modelId = (await db.models.create({ orgId, name: 'ocr' })).id;
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

async function fileWithPages(count: number, extra: { expiresAt?: Date } = {}) {
  const file = await db.files.create({ orgId, modelId, filename: 'scan.pdf', mime: 'application/pdf', bytes: 1234, ...extra });
  const pages = await db.files.createPages(file.id, count, { daySinceEpoch: 20_000 });
  return { file, pages };
}

const box = (i: number, score = 0.9): PredictionInput => ({
  label: 'line',
  type: 'line',
  xmin: 10 * i,
  ymin: 5,
  xmax: 10 * i + 8,
  ymax: 15,
  score,
  ocrText: `word${i}`,
});
const result = (text: string) => ({ width: 100, height: 200, rotation: 0, blocks: [], lines: [], words: [{ text }] });

describe('files', () => {
  it('are created QUEUED with their metadata and hidden from other tenants', async () => {
    const id = '0194c8a0-1111-7000-8000-000000000abc';
    const file = await db.files.create({
      id,
      orgId,
      modelId,
      source: 'URL',
      sourceUrl: 'https://example.com/a.pdf',
      filename: 'a.pdf',
      processingType: 'SYNC',
      priority: 1,
      requestMetadata: 'ref-42',
    });
    expect(file).toMatchObject({ id, status: 'QUEUED', purpose: 'ocr', source: 'URL', processingType: 'SYNC', requestMetadata: 'ref-42', pageCount: null });
    expect(await db.files.findForOrg(id, orgId)).toMatchObject({ id });
    expect(await db.files.findForOrg(id, otherOrgId)).toBeNull();
    expect(await db.files.findForOrg('../../etc', orgId)).toBeNull();
    expect(await db.files.update(id, { sha256: 'a'.repeat(64), storageKey: `files/${id}`, bytes: 99, mime: 'application/pdf' })).toMatchObject({
      bytes: 99,
      storageKey: `files/${id}`,
    });
    const dup = await db.files.create({ id, orgId, filename: 'again.pdf' }).catch((e: unknown) => e);
    expect(isDbError(dup, 'unique_violation')).toBe(true);
  });

  it('list newest first with cursor or offset pagination, without deleted files', async () => {
    const org = (await db.organizations.create({ name: 'Lister' })).id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await db.files.create({ orgId: org, filename: `f${i}.png`, purpose: i === 4 ? 'batch' : 'ocr' })).id);
    expect(await db.files.softDelete(ids[0]!, otherOrgId)).toBe(false);
    expect(await db.files.softDelete(ids[0]!, org)).toBe(true);
    const newestFirst = ids.slice(1).reverse();

    const p1 = await db.files.listForOrg(org, { limit: 2 });
    expect(p1.items.map((f) => f.id)).toEqual(newestFirst.slice(0, 2));
    expect(p1.total).toBe(4);
    const p2 = await db.files.listForOrg(org, { limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((f) => f.id)).toEqual(newestFirst.slice(2, 4));
    expect(p2.nextCursor).toBeNull();
    expect((await db.files.listForOrg(org, { limit: 2, offset: 3 })).items.map((f) => f.id)).toEqual(newestFirst.slice(3));
    expect((await db.files.listForOrg(org, { purpose: 'batch' })).items.map((f) => f.id)).toEqual([ids[4]]);
    expect((await db.files.listForOrg(otherOrgId)).items.every((f) => f.orgId === otherOrgId)).toBe(true);
    expect(await db.files.findForOrg(ids[0]!, org)).toBeNull();
  });

  it('createPages sets the count and is idempotent (a retried ingest keeps page ids)', async () => {
    const { file, pages } = await fileWithPages(3);
    expect(pages.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(pages.every((p) => p.status === 'QUEUED' && p.orgId === orgId && p.modelId === modelId && p.daySinceEpoch === 20_000)).toBe(true);
    const again = await db.files.createPages(file.id, 3);
    expect(again.map((p) => p.id)).toEqual(pages.map((p) => p.id));
    expect((await db.files.findById(file.id))?.pageCount).toBe(3);
    expect(await db.files.markProcessing(file.id)).toBe(true);
    expect(await db.files.markProcessing(file.id)).toBe(false);
    expect(await db.files.progress(file.id)).toEqual({ total: 3, done: 0, failed: 0, pending: 3 });
  });
});

describe('stalled files', () => {
  it('findStalled lists unfinished, undeleted files untouched since the cut-off', async () => {
    const queued = await db.files.create({ orgId, filename: 'q.pdf' });
    const processing = await db.files.create({ orgId, filename: 'p.pdf' });
    await db.files.markProcessing(processing.id);
    const done = await db.files.create({ orgId, filename: 'd.pdf' });
    await db.files.finalize(done.id);
    const gone = await db.files.create({ orgId, filename: 'g.pdf' });
    await db.files.softDelete(gone.id, orgId);
    const mine = new Set([queued.id, processing.id, done.id, gone.id]);
    const future = new Date(Date.now() + 60_000);
    const stalled = (await db.files.findStalled({ olderThan: future, limit: 1000 })).filter((f) => mine.has(f.id));
    expect(stalled.map((f) => f.id).sort()).toEqual([queued.id, processing.id].sort());
    expect((await db.files.findStalled({ olderThan: future, statuses: ['PROCESSING'], limit: 1000 })).map((f) => f.id)).toContain(processing.id);
    expect((await db.files.findStalled({ olderThan: new Date(Date.now() - 60_000) })).filter((f) => mine.has(f.id))).toEqual([]);
    expect(await db.files.touch([queued.id])).toBe(1);
  });
});

describe('pages', () => {
  it('savePageResult replaces predictions: running it twice (or concurrently) leaves one set', async () => {
    const { pages } = await fileWithPages(1);
    const pageId = pages[0]!.id;
    expect(await db.pages.markRendered(pageId, { imageKey: 'pages/p0.png', width: 100, height: 200, dpi: 300 })).toBe(true);
    expect(await db.pages.markRendered(pageId, { imageKey: 'pages/other.png', width: 1, height: 1, dpi: 1 })).toBe(false);

    const input = { result: result('first'), rotation: 90, width: 200, height: 100, predictions: [box(0, 0.8), box(1, 0.4), box(2)] };
    await db.pages.savePageResult(pageId, input);
    const saved = await db.pages.savePageResult(pageId, input);
    expect(saved).toMatchObject({ status: 'DONE', rotation: 90, width: 200, height: 100, minConfidence: 0.4, imageKey: 'pages/p0.png', error: null });
    expect(saved.completedAt).toBeInstanceOf(Date);
    const preds = await db.predictions.listByPage(pageId);
    expect(preds.map((p) => [p.order, p.ocrText, p.source])).toEqual([
      [0, 'word0', 'MODEL'],
      [1, 'word1', 'MODEL'],
      [2, 'word2', 'MODEL'],
    ]);

    await Promise.all(
      Array.from({ length: 4 }, (_, k) => db.pages.savePageResult(pageId, { result: result(`run${k}`), predictions: [box(0), box(1)] })),
    );
    expect(await db.predictions.listByPage(pageId)).toHaveLength(2);
    const page = await db.pages.findById(pageId);
    expect(page?.result).toMatchObject({ words: [{ text: expect.stringMatching(/^run\d$/) }] });
    expect(page?.minConfidence).toBe(0.9);

    const missing = await db.pages
      .savePageResult('0194c8a0-2222-7000-8000-000000000000', { result: {}, predictions: [] })
      .catch((e: unknown) => e);
    expect(isDbError(missing, 'not_found')).toBe(true);
  });

  it('markFailed never overwrites DONE; attempts count up', async () => {
    const { pages } = await fileWithPages(2);
    const [done, bad] = pages;
    await db.pages.savePageResult(done!.id, { result: result('ok'), predictions: [] });
    expect(await db.pages.markFailed(done!.id, 'late failure')).toBe(false);
    expect((await db.pages.findById(done!.id))?.status).toBe('DONE');
    expect(await db.pages.markFailed(bad!.id, 'cannot decode')).toBe(true);
    expect(await db.pages.findById(bad!.id)).toMatchObject({ status: 'FAILED', error: 'cannot decode' });
    expect(await db.pages.incrementAttempts(bad!.id)).toBe(1);
    expect(await db.pages.incrementAttempts(bad!.id)).toBe(2);
    // An attempt lost to an outage is given back.
    expect(await db.pages.incrementAttempts(bad!.id, -1)).toBe(1);
    expect(await db.pages.incrementAttempts('0194c8a0-3333-7000-8000-000000000000')).toBeNull();
  });

  it('an expired file is hidden from its tenant on every read, before the reaper removes it', async () => {
    const { file, pages } = await fileWithPages(1, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await db.files.findForOrg(file.id, orgId)).toBeNull();
    expect(await db.pages.findForOrg(pages[0]!.id, orgId)).toBeNull();
    expect((await db.files.listForOrg(orgId, { limit: 1000 })).items.map((f) => f.id)).not.toContain(file.id);
    expect((await db.pages.listByModelDayWindow(modelId, orgId, 20_000, 20_000)).map((p) => p.fileId)).not.toContain(file.id);
    expect((await db.files.findExpired(new Date())).map((f) => f.id)).toContain(file.id);
    // Until then it is still there for workers and the reaper.
    expect((await db.files.findById(file.id))?.id).toBe(file.id);
  });

  it('markRendered restarts the attempt count for the recognize stage', async () => {
    const { pages } = await fileWithPages(1);
    const id = pages[0]!.id;
    await db.pages.incrementAttempts(id);
    await db.pages.incrementAttempts(id);
    expect(await db.pages.markRendered(id, { imageKey: 'k', width: 10, height: 10, dpi: 72 })).toBe(true);
    expect((await db.pages.findById(id))?.attempts).toBe(0);
  });

  it('tenancy: findForOrg hides other tenants and deleted files', async () => {
    const { file, pages } = await fileWithPages(1);
    const id = pages[0]!.id;
    expect((await db.pages.findForOrg(id, orgId))?.id).toBe(id);
    expect(await db.pages.findForOrg(id, otherOrgId)).toBeNull();
    await db.files.softDelete(file.id, orgId);
    expect(await db.pages.findForOrg(id, orgId)).toBeNull();
    expect((await db.pages.findById(id))?.id).toBe(id);
  });

  it('findStalled returns pending pages untouched for the grace period; touch restarts it', async () => {
    const { pages } = await fileWithPages(3);
    await db.pages.markRendered(pages[1]!.id, { imageKey: 'k', width: 1, height: 1, dpi: 72 });
    await db.pages.savePageResult(pages[2]!.id, { result: {}, predictions: [] });
    const ids = new Set(pages.map((p) => p.id));
    const future = new Date(Date.now() + 60_000);
    const stalled = (await db.pages.findStalled({ olderThan: future, limit: 1000 })).filter((p) => ids.has(p.id));
    expect(stalled.map((p) => p.index).sort()).toEqual([0, 1]);
    expect(stalled[0]).not.toHaveProperty('result');
    const onlyRendered = (await db.pages.findStalled({ olderThan: future, statuses: ['RENDERED'], limit: 1000 })).filter((p) => ids.has(p.id));
    expect(onlyRendered.map((p) => p.index)).toEqual([1]);
    const past = new Date(Date.now() - 60_000);
    expect((await db.pages.findStalled({ olderThan: past })).filter((p) => ids.has(p.id))).toEqual([]);
    expect(await db.pages.countPending(orgId)).toBeGreaterThanOrEqual(2);
    expect(await db.pages.touch([pages[0]!.id])).toBe(1);
  });
});

describe('finalize', () => {
  it('COMPLETE when every page is DONE, once', async () => {
    const { file, pages } = await fileWithPages(2);
    for (const p of pages) await db.pages.savePageResult(p.id, { result: {}, predictions: [box(1)] });
    const r = await db.files.finalize(file.id);
    expect(r).toEqual({ total: 2, done: 2, failed: 0, pending: 0, status: 'COMPLETE', finalized: true, firstCompletion: true });
    const row = await db.files.findById(file.id);
    expect(row?.status).toBe('COMPLETE');
    expect(row?.errorCode).toBeNull();
    const again = await db.files.finalize(file.id);
    expect(again).toMatchObject({ status: 'COMPLETE', finalized: true, firstCompletion: false });
    expect((await db.files.findById(file.id))?.completedAt?.getTime()).toBe(row?.completedAt?.getTime());
  });

  it('PARTIAL when some failed, FAILED when all failed or no pages', async () => {
    const partial = await fileWithPages(3);
    await db.pages.savePageResult(partial.pages[0]!.id, { result: {}, predictions: [] });
    await db.pages.markFailed(partial.pages[1]!.id, 'x');
    await db.pages.markFailed(partial.pages[2]!.id, 'y');
    expect(await db.files.finalize(partial.file.id)).toMatchObject({ status: 'PARTIAL', done: 1, failed: 2, total: 3 });
    expect(await db.files.findById(partial.file.id)).toMatchObject({ status: 'PARTIAL', errorCode: 'pages_failed', errorMessage: '2 of 3 pages failed' });

    const failed = await fileWithPages(2);
    for (const p of failed.pages) await db.pages.markFailed(p.id, 'boom');
    expect(await db.files.finalize(failed.file.id)).toMatchObject({ status: 'FAILED', done: 0, failed: 2 });

    const empty = await db.files.create({ orgId, filename: 'empty.pdf' });
    expect(await db.files.finalize(empty.id)).toMatchObject({ status: 'FAILED', total: 0, finalized: true });
    expect(await db.files.finalize('0194c8a0-4444-7000-8000-000000000000')).toBeNull();
  });

  it('waits while pages are pending, unless forced', async () => {
    const { file, pages } = await fileWithPages(2);
    await db.pages.savePageResult(pages[0]!.id, { result: {}, predictions: [] });
    expect(await db.files.finalize(file.id)).toMatchObject({ finalized: false, status: 'QUEUED', pending: 1 });
    expect((await db.files.findById(file.id))?.completedAt).toBeNull();
    expect(await db.files.finalize(file.id, { force: true })).toMatchObject({ finalized: true, status: 'PARTIAL', failed: 1, firstCompletion: true });
    expect(await db.pages.findById(pages[1]!.id)).toMatchObject({ status: 'FAILED', error: PAGE_NOT_PROCESSED });
  });

  it('concurrent finalizers report the first completion exactly once', async () => {
    const { file, pages } = await fileWithPages(1);
    await db.pages.savePageResult(pages[0]!.id, { result: {}, predictions: [] });
    const results = await Promise.all([1, 2, 3, 4].map(() => db.files.finalize(file.id)));
    expect(results.filter((r) => r?.firstCompletion)).toHaveLength(1);
  });

  it('markFailed fails a file in flight but never a finished one', async () => {
    const f = await db.files.create({ orgId, filename: 'bad.pdf' });
    expect(await db.files.markFailed(f.id, 'encrypted_pdf', 'The PDF is encrypted')).toBe(true);
    expect(await db.files.findById(f.id)).toMatchObject({ status: 'FAILED', errorCode: 'encrypted_pdf', errorMessage: 'The PDF is encrypted' });
    const { file, pages } = await fileWithPages(1);
    await db.pages.savePageResult(pages[0]!.id, { result: {}, predictions: [] });
    await db.files.finalize(file.id);
    expect(await db.files.markFailed(file.id, 'late', 'late')).toBe(false);
  });
});

describe('day windows, review queue, reaping', () => {
  it('listByModelDayWindow returns the pages of the window with their boxes, for the owner only', async () => {
    const model = (await db.models.create({ orgId, name: 'window' })).id;
    const mk = async (day: number) => {
      const f = await db.files.create({ orgId, modelId: model, filename: `d${day}.png` });
      const [p] = await db.files.createPages(f.id, 1, { daySinceEpoch: day });
      await db.pages.savePageResult(p!.id, { result: {}, predictions: [box(2), box(1)] });
      return p!.id;
    };
    const d10 = await mk(10);
    const d11 = await mk(11);
    await mk(13);
    const pages = await db.pages.listByModelDayWindow(model, orgId, 10, 12);
    expect(pages.map((p) => p.id)).toEqual([d10, d11]);
    expect(pages[0]?.predictions.map((p) => p.ocrText)).toEqual(['word2', 'word1']);
    expect(await db.pages.listByModelDayWindow(model, otherOrgId, 0, 100)).toEqual([]);
    expect(daySinceEpoch(new Date('1970-01-02T00:00:00Z'))).toBe(1);
  });

  it('the review queue lists DONE pages of a state, least confident first', async () => {
    const model = (await db.models.create({ orgId, name: 'review' })).id;
    const f = await db.files.create({ orgId, modelId: model, filename: 'r.pdf' });
    const pages = await db.files.createPages(f.id, 4);
    const scores = [0.9, 0.2, 0.6];
    for (const [i, s] of scores.entries()) await db.pages.savePageResult(pages[i]!.id, { result: {}, predictions: [box(0, s)] });
    const q = await db.pages.listReviewQueue({ modelId: model, orgId });
    expect(q.items.map((p) => p.minConfidence)).toEqual([0.2, 0.6, 0.9]);
    expect(q.total).toBe(3);
    expect((await db.pages.listReviewQueue({ modelId: model, orgId, maxConfidence: 0.6, limit: 1, offset: 1 })).items.map((p) => p.minConfidence)).toEqual([0.6]);
    await db.moderation.setPageState(pages[1]!.id, orgId, 'APPROVED', 'tester');
    expect((await db.pages.listReviewQueue({ modelId: model, orgId })).items.map((p) => p.minConfidence)).toEqual([0.6, 0.9]);
    expect((await db.pages.listReviewQueue({ modelId: model, orgId, state: 'APPROVED' })).items.map((p) => p.id)).toEqual([pages[1]!.id]);
    expect((await db.pages.listReviewQueue({ modelId: model, orgId: otherOrgId })).total).toBe(0);
  });

  it('findExpired finds expired and deleted files; hardDelete removes pages and predictions too', async () => {
    const now = new Date();
    const expired = await fileWithPages(1, { expiresAt: new Date(now.getTime() - 1000) });
    await db.pages.savePageResult(expired.pages[0]!.id, { result: {}, predictions: [box(0)] });
    const alive = await fileWithPages(1, { expiresAt: new Date(now.getTime() + 3_600_000) });
    const deleted = await fileWithPages(1);
    await db.files.softDelete(deleted.file.id, orgId);

    const found = (await db.files.findExpired(now, { limit: 1000 })).map((f) => f.id);
    expect(found).toContain(expired.file.id);
    expect(found).toContain(deleted.file.id);
    expect(found).not.toContain(alive.file.id);
    expect((await db.files.findExpired(now, { limit: 1000, includeDeleted: false })).map((f) => f.id)).not.toContain(deleted.file.id);

    expect(await db.files.hardDelete(expired.file.id)).toBe(true);
    expect(await db.files.hardDelete(expired.file.id)).toBe(false);
    expect(await db.pages.findById(expired.pages[0]!.id)).toBeNull();
    expect(await db.predictions.listByPage(expired.pages[0]!.id)).toEqual([]);
  });
});
