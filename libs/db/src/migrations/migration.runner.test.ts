import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServerUrl } from '../testing.ts';
import { databaseName, dropDatabase } from './database.admin.ts';
import { checksumMatches, migrationChecksum, readMigrations } from './migration.files.ts';
import { migrate, MigrationError } from './migration.runner.ts';

const created: string[] = [];
function freshUrl(): string {
  const url = new URL(testServerUrl());
  url.pathname = `/folio_test_runner_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  created.push(url.toString());
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, values)).rows;
  } finally {
    await c.end();
  }
}

let dir: string;
async function addMigration(name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'folio-migrations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await Promise.all(created.map((u) => dropDatabase(u)));
});

describe('migrate', () => {
  it('creates the database, applies once, records history as Prisma does, and is a no-op the second time', async () => {
    const url = freshUrl();
    await addMigration('20250101000000_a', 'CREATE TABLE a (id int PRIMARY KEY);\n');
    await addMigration('20250102000000_b', 'ALTER TABLE a ADD COLUMN name text;\n');

    const first = await migrate(url, { migrationsDir: dir });
    expect(first.applied).toEqual(['20250101000000_a', '20250102000000_b']);
    expect(first.alreadyApplied).toEqual([]);

    const second = await migrate(url, { migrationsDir: dir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(['20250101000000_a', '20250102000000_b']);

    const rows = await query<{
      id: string;
      checksum: string;
      finished_at: Date | null;
      migration_name: string;
      logs: string | null;
      rolled_back_at: Date | null;
      started_at: Date;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    expect(rows).toHaveLength(2);
    const files = await readMigrations(dir);
    rows.forEach((row, i) => {
      expect(row.migration_name).toBe(files[i]?.name);
      expect(row.checksum).toBe(migrationChecksum(files[i]?.sql ?? ''));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    });
    // The table's shape is Prisma's own.
    const cols = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(cols.map((c) => `${c.column_name}:${c.data_type}:${c.is_nullable}`)).toEqual([
      'id:character varying:NO',
      'checksum:character varying:NO',
      'finished_at:timestamp with time zone:YES',
      'migration_name:character varying:NO',
      'logs:text:YES',
      'rolled_back_at:timestamp with time zone:YES',
      'started_at:timestamp with time zone:NO',
      'applied_steps_count:integer:NO',
    ]);
  });

  it('serializes concurrent runners: every migration is applied exactly once', async () => {
    const url = freshUrl();
    // The sleep keeps the first runner inside its migration while the others wait on the lock.
    await addMigration('20250101000000_slow', 'CREATE TABLE slow (id int PRIMARY KEY);\nSELECT pg_sleep(0.4);\n');
    await addMigration('20250102000000_next', 'INSERT INTO slow VALUES (1);\n');
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(url, { migrationsDir: dir })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['20250101000000_slow', '20250102000000_next']);
    // One runner applied both; the others found them applied.
    expect(results.filter((r) => r.applied.length === 2)).toHaveLength(1);
    expect(await query(url, 'SELECT * FROM slow')).toHaveLength(1);
    expect(await query(url, 'SELECT * FROM _prisma_migrations')).toHaveLength(2);
  });

  it('refuses when an applied migration was edited', async () => {
    const url = freshUrl();
    await addMigration('20250101000000_a', 'CREATE TABLE a (id int);\n');
    await migrate(url, { migrationsDir: dir });
    await addMigration('20250101000000_a', 'CREATE TABLE a (id bigint);\n');
    await addMigration('20250102000000_b', 'CREATE TABLE b (id int);\n');
    const err = await migrate(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).code).toBe('checksum_mismatch');
    expect((err as MigrationError).migration).toBe('20250101000000_a');
    // Nothing after the refusal ran.
    expect(await query(url, `SELECT to_regclass('b') AS t`)).toEqual([{ t: null }]);
  });

  it('rolls a failing migration back whole, records the attempt, and retries it next run', async () => {
    const url = freshUrl();
    await addMigration('20250101000000_a', 'CREATE TABLE a (id int);\n');
    await addMigration('20250102000000_bad', 'CREATE TABLE b (id int);\nSELECT * FROM no_such_table;\n');
    const err = await migrate(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect((err as MigrationError).code).toBe('apply_failed');
    expect(await query(url, `SELECT to_regclass('a') IS NOT NULL AS a, to_regclass('b') IS NOT NULL AS b`)).toEqual([{ a: true, b: false }]);
    const failed = await query<{ logs: string; rolled_back_at: Date | null; finished_at: Date | null }>(
      url,
      `SELECT logs, rolled_back_at, finished_at FROM _prisma_migrations WHERE migration_name = '20250102000000_bad'`,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.logs).toContain('no_such_table');
    expect(failed[0]?.rolled_back_at).toBeInstanceOf(Date);
    expect(failed[0]?.finished_at).toBeNull();

    await addMigration('20250102000000_bad', 'CREATE TABLE b (id int);\n');
    const retried = await migrate(url, { migrationsDir: dir });
    expect(retried.applied).toEqual(['20250102000000_bad']);
  });

  it("refuses an unresolved failure left by Prisma's own migrate", async () => {
    const url = freshUrl();
    await addMigration('20250101000000_a', 'CREATE TABLE a (id int);\n');
    await migrate(url, { migrationsDir: dir });
    await query(url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('x', 'y', '20250102000000_b', now())`);
    const err = await migrate(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect((err as MigrationError).code).toBe('failed_migration');
  });

  it('refuses a database that has tables but no history, and reports migrations it does not know', async () => {
    const url = freshUrl();
    await migrate(url, { migrationsDir: dir }); // empty dir: creates database and history table only
    await query(url, 'DROP TABLE _prisma_migrations');
    await query(url, 'CREATE TABLE legacy (id int)');
    await addMigration('20250101000000_a', 'CREATE TABLE a (id int);\n');
    expect(((await migrate(url, { migrationsDir: dir }).catch((e: unknown) => e)) as MigrationError).code).toBe('not_empty');

    const other = freshUrl();
    await migrate(other, { migrationsDir: dir });
    await rm(join(dir, '20250101000000_a'), { recursive: true });
    expect((await migrate(other, { migrationsDir: dir })).unknown).toEqual(['20250101000000_a']);
    expect(databaseName(other)).toMatch(/^folio_test_runner_/);
  });
});

describe('checksums', () => {
  it("match Prisma's rules: sha256 hex, line endings ignored, legacy unpadded hex accepted", () => {
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    const lf = 'CREATE TABLE a (id int);\nSELECT 1;\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    expect(checksumMatches(crlf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(lf, migrationChecksum(crlf))).toBe(true);
    expect(checksumMatches(lf + ' ', migrationChecksum(lf))).toBe(false);
    // A script whose digest has a byte below 0x10, so the unpadded form is shorter.
    let script = lf;
    for (let i = 0; !/^(..)*0/.test(migrationChecksum(script)); i++) script = `${lf}-- ${i}\n`;
    const legacy = migrationChecksum(script).match(/../g)!.map((b) => parseInt(b, 16).toString(16)).join('');
    expect(legacy.length).toBeLessThan(64);
    expect(checksumMatches(script, legacy)).toBe(true);
  });
});
