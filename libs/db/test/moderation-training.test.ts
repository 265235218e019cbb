import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, type ModerationOutcome, type ReviewCursor } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let tdb: TestDatabase;
let db: Db;
let orgId: string;
let otherOrgId: string;
let modelId: string;

beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'moderation' });
  db = createDb(tdb.url, { poolSize: 4 });
  orgId = (await db.organizations.create({ name: 'Mod' })).id;
  otherOrgId = (await db.organizations.create({ name: 'Else' })).id;
  modelId = (await db.models.create({ orgId, name: 'm', kind: 'EXTRACTION', labels: ['total'] })).id;
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

async function donePage() {
  const f = await db.files.create({ orgId, modelId, filename: 'inv.png' });
  const [p] = await db.files.createPages(f.id, 1);
  await db.pages.savePageResult(p!.id, {
    result: {},
    predictions: [
      { label: 'total', xmin: 1, ymin: 2, xmax: 30, ymax: 12, score: 0.5, ocrText: '12.5O' },
      {
        label: 'table',
        type: 'table',
        xmin: 0,
        ymin: 20,
        xmax: 90,
        ymax: 80,
        score: 0.7,
        cells: [{ row: 1, col: 1, text: 'a', xmin: 0, ymin: 20, xmax: 40, ymax: 40, score: 0.7 }],
      },
    ],
  });
  return p!.id;
}

const unwrap = <T>(o: ModerationOutcome<T>): T => {
  if (!o.ok) throw new Error(`${o.reason}: ${o.message}`);
  return o.value;
};

describe('moderation', () => {
  it('edits keep the model box (inactive) and add a moderator box, all audited', async () => {
    const pageId = await donePage();
    const [total, table] = await db.predictions.listByPage(pageId);
    expect(table?.cells).toEqual([{ row: 1, col: 1, text: 'a', xmin: 0, ymin: 20, xmax: 40, ymax: 40, score: 0.7 }]);
    const ref = (predictionId: string, org = orgId) => ({ orgId: org, pageId, predictionId });

    expect(await db.moderation.updatePrediction(ref(total!.id, otherOrgId), { ocrText: 'hack' }, 'mallory')).toMatchObject({ ok: false, reason: 'not_found' });
    const edited = unwrap(await db.moderation.updatePrediction(ref(total!.id), { ocrText: '12.50' }, 'alice'));
    expect(edited).toMatchObject({ source: 'MODERATOR', ocrText: '12.50', order: total!.order, label: 'total', active: true });
    // The replaced model box cannot be edited again: the caller holds a stale id.
    expect(await db.moderation.updatePrediction(ref(total!.id), { ocrText: 'x' }, 'alice')).toMatchObject({ ok: false, reason: 'inactive' });
    // A moderator box is edited in place.
    const again = unwrap(await db.moderation.updatePrediction(ref(edited.id), { score: 1 }, 'alice'));
    expect(again.id).toBe(edited.id);
    // A patch that changes nothing writes nothing.
    expect(unwrap(await db.moderation.updatePrediction(ref(edited.id), { score: 1 }, 'alice')).id).toBe(edited.id);

    const added = unwrap(await db.moderation.addPrediction(pageId, orgId, { label: 'date', xmin: 5, ymin: 5, xmax: 9, ymax: 9, score: 1, ocrText: '2025-01-01' }, 'bob'));
    expect(added).toMatchObject({ source: 'MODERATOR', order: 2 });
    expect(await db.moderation.addPrediction(pageId, otherOrgId, { label: 'x', xmin: 0, ymin: 0, xmax: 1, ymax: 1, score: 1 }, 'mallory')).toMatchObject({ ok: false, reason: 'not_found' });
    expect(unwrap(await db.moderation.removePrediction(ref(table!.id), 'bob')).active).toBe(false);
    expect(await db.moderation.removePrediction(ref(table!.id), 'bob')).toMatchObject({ ok: false, reason: 'inactive' });
    expect(unwrap(await db.moderation.setPageState(pageId, orgId, 'APPROVED', 'bob')).page.moderationState).toBe('APPROVED');
    expect(unwrap(await db.moderation.setPageState(pageId, orgId, 'APPROVED', 'bob')).changed).toBe(false);
    expect(await db.moderation.setPageState(pageId, otherOrgId, 'REJECTED', 'mallory')).toMatchObject({ ok: false, reason: 'not_found' });

    const all = await db.predictions.listByPage(pageId);
    expect(all.filter((p) => p.source === 'MODEL').map((p) => [p.label, p.active])).toEqual([
      ['total', false],
      ['table', false],
    ]);
    const active = await db.predictions.listByPage(pageId, { activeOnly: true });
    expect(active.map((p) => [p.label, p.ocrText, p.score])).toEqual([
      ['total', '12.50', 1],
      ['date', '2025-01-01', 1],
    ]);
    // The queue sorts on the boxes that stand now.
    expect((await db.pages.findById(pageId))?.minConfidence).toBe(1);

    const events = await db.moderation.listEvents(pageId, orgId);
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      ['alice', 'update'],
      ['alice', 'update'],
      ['bob', 'create'],
      ['bob', 'delete'],
      ['bob', 'approve'],
    ]);
    expect(events[0]?.before).toMatchObject({ ocrText: '12.5O', source: 'MODEL' });
    expect(events[0]?.after).toMatchObject({ ocrText: '12.50', source: 'MODERATOR' });
    expect(events[4]).toMatchObject({ before: { moderationState: 'UNMODERATED' }, after: { moderationState: 'APPROVED' } });
    expect(await db.moderation.listEvents(pageId, otherOrgId)).toEqual([]);

    // A duplicate recognize job after moderation replaces model boxes only: moderator work survives.
    await db.pages.savePageResult(pageId, { result: {}, predictions: [{ label: 'total', xmin: 0, ymin: 0, xmax: 1, ymax: 1, score: 0.3 }] });
    const after = await db.predictions.listByPage(pageId);
    expect(after.filter((p) => p.source === 'MODERATOR')).toHaveLength(2);
    expect(after.filter((p) => p.source === 'MODEL')).toHaveLength(1);
    expect((await db.moderation.listEvents(pageId, orgId)).length).toBe(5);
  });

  it('refuses boxes that do not fit the page, pages not recognized and pages of deleted files, writing nothing', async () => {
    const pageId = await donePage();
    await db.prisma.page.update({ where: { id: pageId }, data: { width: 100, height: 50 } });
    const [total] = await db.predictions.listByPage(pageId);
    const ref = { orgId, pageId, predictionId: total!.id };
    const box = { label: 'x', score: 1 };
    for (const [input, message] of [
      [{ ...box, xmin: 10, ymin: 0, xmax: 5, ymax: 5 }, /xmin \(10\) must be less than xmax \(5\)/],
      [{ ...box, xmin: -1, ymin: 0, xmax: 5, ymax: 5 }, /xmin must not be negative/],
      [{ ...box, xmin: 0, ymin: 0, xmax: 101, ymax: 5 }, /outside the page \(width 100 px\)/],
      [{ ...box, xmin: 0, ymin: 4, xmax: 5, ymax: 4 }, /ymin \(4\) must be less than ymax \(4\)/],
    ] as const) {
      expect(await db.moderation.addPrediction(pageId, orgId, input, 'a')).toMatchObject({ ok: false, reason: 'invalid_box', message: expect.stringMatching(message) });
    }
    expect(await db.moderation.updatePrediction(ref, { ymax: 51 }, 'a')).toMatchObject({ ok: false, reason: 'invalid_box' });
    expect(await db.moderation.updatePrediction({ ...ref, pageId: await donePage() }, { ocrText: 'x' }, 'a')).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await db.moderation.updatePrediction({ ...ref, predictionId: 'nope' }, { ocrText: 'x' }, 'a')).toMatchObject({ ok: false, reason: 'not_found' });

    const f = await db.files.create({ orgId, modelId, filename: 'queued.png' });
    const [queued] = await db.files.createPages(f.id, 1);
    expect(await db.moderation.setPageState(queued!.id, orgId, 'APPROVED', 'a')).toMatchObject({ ok: false, reason: 'not_done' });

    const file = (await db.pages.findById(pageId))!.fileId;
    await db.files.softDelete(file, orgId);
    expect(await db.moderation.setPageState(pageId, orgId, 'APPROVED', 'a')).toMatchObject({ ok: false, reason: 'not_found' });

    expect((await db.predictions.listByPage(pageId)).map((p) => [p.source, p.active])).toEqual([
      ['MODEL', true],
      ['MODEL', true],
    ]);
    expect(await db.moderation.listEvents(pageId, orgId)).toEqual([]);
    expect(await db.moderation.listEvents(queued!.id, orgId)).toEqual([]);
  });

  it('lists the review queue lowest word score first for pages without fields, filtered, with a cursor', async () => {
    const org = (await db.organizations.create({ name: 'Queue' })).id;
    const m1 = (await db.models.create({ orgId: org, name: 'q1' })).id;
    const m2 = (await db.models.create({ orgId: org, name: 'q2' })).id;
    const scores: Array<[string, number | null, number]> = [
      [m1, 0.9, 100],
      [m1, 0.2, 101],
      [m1, null, 101],
      [m1, 0.5, 102],
      [m1, 0.5, 103],
      [m2, 0.1, 101],
    ];
    const ids: string[] = [];
    for (const [model, score, day] of scores) {
      const f = await db.files.create({ orgId: org, modelId: model, filename: `s${score}.png` });
      const [p] = await db.files.createPages(f.id, 1, { daySinceEpoch: day });
      // Full-text pages (no fields): the queue orders them by their lowest word score, here the line's.
      const quad = [[0, 0], [1, 0], [1, 1], [0, 1]];
      const lines = score === null ? [] : [{ text: 'x', confidence: score, quad, words: [{ text: 'x', confidence: score, quad }] }];
      await db.pages.savePageResult(p!.id, {
        result: { width: 10, height: 10, blocks: [{ kind: 'paragraph', quad, lines }] },
        predictions: score === null ? [] : [{ label: 'text', xmin: 0, ymin: 0, xmax: 1, ymax: 1, score }],
      });
      ids.push(p!.id);
    }
    const [p09, p02, pNull, p05a, p05b, pOther] = ids as [string, string, string, string, string, string];
    const [first05, second05] = [p05a, p05b].sort();

    const seen: string[] = [];
    let after: ReviewCursor | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await db.moderation.listPages({ orgId: org, modelId: m1, limit: 2, ...(after ? { after } : {}) });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((p) => p.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([p02, first05, second05, p09, pNull]);

    const all = await db.moderation.listPages({ orgId: org });
    expect(all.items[0]).toMatchObject({ id: pOther, file: { filename: 's0.1.png' } });
    expect((await db.moderation.listPages({ orgId: org, modelId: m1, fromDay: 101, toDay: 102 })).items.map((p) => p.id)).toEqual([p02, p05a, pNull]);
    expect((await db.moderation.listPages({ orgId: org, maxConfidence: 0.5 })).total).toBe(4);
    unwrap(await db.moderation.setPageState(p02, org, 'REJECTED', 'a'));
    expect((await db.moderation.listPages({ orgId: org, state: 'REJECTED' })).items.map((p) => p.id)).toEqual([p02]);
    expect((await db.moderation.listPages({ orgId: org, state: 'UNMODERATED', modelId: m1 })).total).toBe(4);
    expect((await db.moderation.listPages({ orgId: otherOrgId, modelId: m1 })).total).toBe(0);
  });

  it('listByPages groups boxes per page', async () => {
    const a = await donePage();
    const b = await donePage();
    const grouped = await db.predictions.listByPages([a, b, '0194c8a0-5555-7000-8000-000000000000']);
    expect(grouped.get(a)).toHaveLength(2);
    expect(grouped.get(b)?.map((p) => p.order)).toEqual([0, 1]);
    expect(grouped.get('0194c8a0-5555-7000-8000-000000000000')).toEqual([]);
  });
});

describe('training', () => {
  it('stores images with annotations and runs', async () => {
    const imgs = await db.training.addImages(modelId, orgId, [
      { storageKey: 'train/1.png', filename: '1.png', annotations: [{ label: 'total', xmin: 1, ymin: 1, xmax: 5, ymax: 5 }] },
      { storageKey: 'train/2.png', filename: '2.png' },
    ]);
    expect(imgs).toHaveLength(2);
    expect(await db.training.countImages(modelId, orgId)).toBe(2);
    expect(await db.training.countImages(modelId, otherOrgId)).toBe(0);
    const listed = await db.training.listImages(modelId, orgId);
    expect(listed.map((i) => i.filename).sort()).toEqual(['1.png', '2.png']);
    expect(listed.find((i) => i.filename === '2.png')?.annotations).toEqual([]);

    const run = await db.training.createRun(modelId, orgId);
    expect(run.status).toBe('QUEUED');
    expect(await db.training.updateRun(run.id, { status: 'SUCCEEDED', message: 'done' })).toMatchObject({ status: 'SUCCEEDED', message: 'done' });
    expect((await db.training.latestRun(modelId, orgId))?.id).toBe(run.id);
    expect(await db.training.latestRun(modelId, otherOrgId)).toBeNull();
  });
});
