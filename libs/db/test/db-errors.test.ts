import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, DbError, isDbError, toDbError } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'errors' });
  db = createDb(tdb.url, { poolSize: 2 });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('DbError translation', () => {
  it('maps unique, foreign-key and not-found errors from the client and from raw SQL', async () => {
    const org = await db.organizations.create({ name: 'E', slug: 'taken' });
    const unique = await db.organizations.create({ name: 'E2', slug: 'taken' }).catch((e: unknown) => e);
    expect(unique).toBeInstanceOf(DbError);
    expect((unique as DbError).code).toBe('unique_violation');
    expect((unique as DbError).constraint).toBe('organizations_slug_key');

    const fk = await db.files.create({ orgId: '0194c8a0-6666-7000-8000-000000000000', filename: 'x' }).catch((e: unknown) => e);
    expect(isDbError(fk, 'foreign_key_violation')).toBe(true);

    const notFound = await db.prisma.organization.update({ where: { id: '0194c8a0-7777-7000-8000-000000000000' }, data: { name: 'x' } }).catch(toDbError);
    expect(isDbError(notFound, 'not_found')).toBe(true);

    const raw = await db.prisma.$executeRaw`INSERT INTO organizations (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'taken', 'r', now())`.catch(toDbError);
    expect(isDbError(raw, 'unique_violation')).toBe(true);
    expect(org.slug).toBe('taken');
  });

  it('maps an unreachable server to unavailable', async () => {
    const down = createDb('postgres://postgres@127.0.0.1:1/nothing', { connectionTimeoutMs: 2000 });
    try {
      const err = await down.organizations.findBySlug('x').catch((e: unknown) => e);
      expect(isDbError(err, 'unavailable')).toBe(true);
    } finally {
      await down.close();
    }
  });
});
