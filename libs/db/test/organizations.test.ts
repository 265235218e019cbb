import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, DEV_ORGANIZATION_SLUG, hashApiKey, isDbError } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase({ label: 'orgs' });
  db = createDb(tdb.url, { poolSize: 4 });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('organizations and API keys', () => {
  it('stores only the hash, finds the organization by plaintext, and forgets revoked keys', async () => {
    const org = await db.organizations.create({ name: 'Acme Corp' });
    expect(org.slug).toMatch(/^acme-corp-[0-9a-f]{8}$/);
    const { apiKey, plaintext } = await db.apiKeys.create(org.id, { name: 'ci' });
    expect(plaintext).toMatch(/^folio_[A-Za-z0-9_-]{32}$/);
    expect(apiKey.prefix).toBe(plaintext.slice(0, 12));
    expect(apiKey).not.toHaveProperty('keyHash');
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.keyHash).toBe(hashApiKey(plaintext));
    expect(stored.keyHash).not.toContain(plaintext);

    const found = await db.apiKeys.findActiveByPlaintext(plaintext);
    expect(found?.organization.id).toBe(org.id);
    expect(found?.apiKey.id).toBe(apiKey.id);
    expect(await db.apiKeys.findActiveByPlaintext(`${plaintext}x`)).toBeNull();

    await db.apiKeys.touch(apiKey.id, new Date('2030-01-01T00:00:00Z'));
    expect((await db.apiKeys.listForOrg(org.id))[0]?.lastUsedAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');

    const other = await db.organizations.create({ name: 'Other' });
    expect(await db.apiKeys.revoke(apiKey.id, other.id)).toBe(false);
    expect(await db.apiKeys.revoke(apiKey.id, org.id)).toBe(true);
    expect(await db.apiKeys.revoke(apiKey.id, org.id)).toBe(false);
    expect(await db.apiKeys.findActiveByPlaintext(plaintext)).toBeNull();
  });

  it('refuses a duplicate key with a DbError', async () => {
    const org = await db.organizations.create({ name: 'Dup' });
    await db.apiKeys.create(org.id, { plaintext: 'same-key-for-both' });
    const err = await db.apiKeys.create(org.id, { plaintext: 'same-key-for-both' }).catch((e: unknown) => e);
    expect(isDbError(err, 'unique_violation')).toBe(true);
  });
});

describe('models', () => {
  it("never returns another tenant's model", async () => {
    const a = await db.organizations.create({ name: 'A' });
    const b = await db.organizations.create({ name: 'B' });
    const model = await db.models.create({ orgId: a.id, name: 'invoices', kind: 'EXTRACTION', labels: ['total', 'date'] });
    expect(await db.models.findForOrg(model.id, a.id)).toMatchObject({ id: model.id, kind: 'EXTRACTION', labels: ['total', 'date'] });
    expect(await db.models.findForOrg(model.id, b.id)).toBeNull();
    expect(await db.models.findForOrg('not-a-uuid', a.id)).toBeNull();
    expect(await db.models.update(model.id, b.id, { name: 'stolen' })).toBeNull();
    expect((await db.models.update(model.id, a.id, { labels: ['total'] }))?.labels).toEqual(['total']);
    expect((await db.models.listForOrg(a.id)).map((m) => m.id)).toEqual([model.id]);
  });
});

describe('ensureDevOrganization', () => {
  it('is idempotent with a given key and model id, even when called concurrently', async () => {
    const options = { apiKey: 'dev-key-0123456789', modelId: '0194c8a0-0000-7000-8000-000000000001' };
    const results = await Promise.all([1, 2, 3].map(() => db.organizations.ensureDevOrganization(options)));
    const again = await db.organizations.ensureDevOrganization(options);
    for (const r of [...results, again]) {
      expect(r.organization.slug).toBe(DEV_ORGANIZATION_SLUG);
      expect(r.organization.id).toBe(again.organization.id);
      expect(r.apiKey.id).toBe(again.apiKey.id);
      expect(r.plaintextKey).toBe(options.apiKey);
      expect(r.model.id).toBe(options.modelId);
      expect(r.model.kind).toBe('OCR');
    }
    expect(await db.prisma.organization.count({ where: { slug: DEV_ORGANIZATION_SLUG } })).toBe(1);
    expect(await db.prisma.apiKey.count({ where: { orgId: again.organization.id } })).toBe(1);
    expect(await db.prisma.model.count({ where: { orgId: again.organization.id } })).toBe(1);
    const auth = await db.apiKeys.findActiveByPlaintext(options.apiKey);
    expect(auth?.organization.id).toBe(again.organization.id);

    // A revoked dev key comes back to life: `npm start` with FOLIO_DEV_API_KEY must always work.
    await db.apiKeys.revoke(again.apiKey.id, again.organization.id);
    await db.organizations.ensureDevOrganization(options);
    expect(await db.apiKeys.findActiveByPlaintext(options.apiKey)).not.toBeNull();
  });

  it('without options keeps the organization and its first OCR model, with a fresh working key', async () => {
    const first = await db.organizations.ensureDevOrganization();
    const second = await db.organizations.ensureDevOrganization();
    expect(second.organization.id).toBe(first.organization.id);
    expect(second.model.id).toBe(first.model.id);
    expect(second.plaintextKey).not.toBe(first.plaintextKey);
    expect((await db.apiKeys.findActiveByPlaintext(second.plaintextKey))?.organization.slug).toBe(DEV_ORGANIZATION_SLUG);
  });

  it("refuses a model id that another tenant owns", async () => {
    const other = await db.organizations.create({ name: 'Owner' });
    const model = await db.models.create({ orgId: other.id, name: 'theirs' });
    const err = await db.organizations.ensureDevOrganization({ modelId: model.id }).catch((e: unknown) => e);
    expect(isDbError(err, 'unique_violation')).toBe(true);
  });
});

describe('retention and sweeps', () => {
  it('setRetention sets the days (null: the default) and, when asked, re-dates existing files', async () => {
    const org = await db.organizations.create({ name: 'Keeps little' });
    const created = new Date('2030-01-01T00:00:00Z');
    const file = await db.files.create({ orgId: org.id, filename: 'a.pdf', expiresAt: new Date('2030-03-01T00:00:00Z') });
    await db.prisma.file.update({ where: { id: file.id }, data: { createdAt: created } });

    const set = await db.organizations.setRetention(org.id, 3);
    expect(set?.organization.retentionDays).toBe(3);
    expect(set?.files).toBe(0);
    expect((await db.files.findById(file.id))?.expiresAt?.toISOString()).toBe('2030-03-01T00:00:00.000Z');

    const reapplied = await db.organizations.setRetention(org.id, 3, { reapplyDays: 3 });
    expect(reapplied?.files).toBe(1);
    expect((await db.files.findById(file.id))?.expiresAt?.toISOString()).toBe('2030-01-04T00:00:00.000Z');

    expect((await db.organizations.setRetention(org.id, null))?.organization.retentionDays).toBeNull();
    expect(await db.organizations.setRetention('00000000-0000-4000-8000-000000000000', 3)).toBeNull();
    await expect(db.organizations.setRetention(org.id, 0)).rejects.toBeInstanceOf(RangeError);
  });

  it('existingIds tells which organizations and models still exist; a deleted model is gone', async () => {
    const org = await db.organizations.create({ name: 'Sweep' });
    const model = await db.models.create({ orgId: org.id, name: 'm' });
    const missing = '00000000-0000-4000-8000-000000000001';
    expect(await db.organizations.existingIds([org.id, missing, 'not-an-id'])).toEqual(new Set([org.id]));
    expect(await db.models.existingIds([model.id, missing])).toEqual(new Set([model.id]));
    const other = await db.organizations.create({ name: 'Not the owner' });
    expect(await db.models.delete(model.id, other.id)).toBe(false);
    expect(await db.models.delete(model.id, org.id)).toBe(true);
    expect(await db.models.existingIds([model.id])).toEqual(new Set());
  });
});
