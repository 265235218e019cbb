/**
 * The raw multi-row insert behind savePageResult writes exactly the rows Prisma's createMany
 * writes (real Postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, type PredictionInput } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { insertPredictions, uuidv7 } from '../src/repositories/prediction.insert.ts';
import { predictionData } from '../src/repositories/prediction.repository.ts';

let tdb: TestDatabase;
let db: Db;
let pageIds: string[];

beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'predins' });
  db = createDb(tdb.url, { poolSize: 2 });
  const orgId = (await db.organizations.create({ name: 'Tenant' })).id;
  const file = await db.files.create({ orgId, filename: 'a.pdf', mime: 'application/pdf', bytes: 1 });
  pageIds = (await db.files.createPages(file.id, 2, { daySinceEpoch: 20_000 })).map((p) => p.id);
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

const inputs: PredictionInput[] = [
  { label: 'line', type: 'line', xmin: 1.4, ymin: 2.6, xmax: 30, ymax: 12, score: 0.93, ocrText: "It's 12,50 € — “quoted”" },
  { label: 'table', type: 'table', xmin: 0, ymin: 0, xmax: 5, ymax: 5, score: 0.5, cells: [{ row: 1, col: 2, text: 'a' }], status: 'ok', validationStatus: 'valid', validationMessage: 'm', labelId: 'L1' },
  { label: 'field', xmin: 3, ymin: 3, xmax: 4, ymax: 4, score: 1 },
];

describe('insertPredictions', () => {
  it('stores the same rows as prisma createMany', async () => {
    const [raw, viaPrisma] = pageIds as [string, string];
    await db.prisma.$transaction((tx) => insertPredictions(tx, raw, inputs));
    await db.prisma.prediction.createMany({ data: inputs.map((p, i) => predictionData(viaPrisma, p, i)) });
    const strip = (rows: Awaited<ReturnType<Db['predictions']['listByPage']>>) => rows.map(({ id: _id, pageId: _p, createdAt: _c, updatedAt: _u, ...rest }) => rest);
    const a = await db.predictions.listByPage(raw);
    const b = await db.predictions.listByPage(viaPrisma);
    expect(a).toHaveLength(3);
    expect(strip(a)).toEqual(strip(b));
    for (const row of a) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.updatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('makes time-ordered v7 ids', () => {
    expect(uuidv7(1_700_000_000_000).slice(0, 13)).toBe('018bcfe5-6800');
    expect(new Set(Array.from({ length: 100 }, () => uuidv7())).size).toBe(100);
  });
});
