import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/index.ts';
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

describe('moderation', () => {
  it('edits keep the model box (inactive) and add a moderator box, all audited', async () => {
    const pageId = await donePage();
    const [total, table] = await db.predictions.listByPage(pageId);
    expect(table?.cells).toEqual([{ row: 1, col: 1, text: 'a', xmin: 0, ymin: 20, xmax: 40, ymax: 40, score: 0.7 }]);

    expect(await db.moderation.updatePrediction(total!.id, otherOrgId, { ocrText: 'hack' }, 'mallory')).toBeNull();
    const edited = await db.moderation.updatePrediction(total!.id, orgId, { ocrText: '12.50' }, 'alice');
    expect(edited).toMatchObject({ source: 'MODERATOR', ocrText: '12.50', order: total!.order, label: 'total', active: true });
    // A moderator box is edited in place.
    const again = await db.moderation.updatePrediction(edited!.id, orgId, { score: 1 }, 'alice');
    expect(again?.id).toBe(edited!.id);

    const added = await db.moderation.addPrediction(pageId, orgId, { label: 'date', xmin: 5, ymin: 5, xmax: 9, ymax: 9, score: 1, ocrText: '2025-01-01' }, 'bob');
    expect(added).toMatchObject({ source: 'MODERATOR', order: 2 });
    expect(await db.moderation.addPrediction(pageId, otherOrgId, { label: 'x', xmin: 0, ymin: 0, xmax: 1, ymax: 1, score: 1 }, 'mallory')).toBeNull();
    expect(await db.moderation.removePrediction(table!.id, orgId, 'bob')).toBe(true);
    expect(await db.moderation.removePrediction(table!.id, orgId, 'bob')).toBe(false);
    expect((await db.moderation.setPageState(pageId, orgId, 'APPROVED', 'bob'))?.moderationState).toBe('APPROVED');
    expect(await db.moderation.setPageState(pageId, otherOrgId, 'REJECTED', 'mallory')).toBeNull();

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
