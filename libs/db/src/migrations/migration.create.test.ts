import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, migrationSlug } from './migration.create.ts';
import { MIGRATION_LOCK_CONTENT, SNAPSHOT_FILE } from './migration.files.ts';

const HEAD = 'datasource db {\n  provider = "postgresql"\n}\n\n';
const V1 = `${HEAD}model Thing {\n  id   String @id @db.Uuid\n  name String\n\n  @@map("things")\n}\n`;
const V2 = `${HEAD}model Thing {\n  id    String @id @db.Uuid\n  name  String\n  count Int    @default(0)\n\n  @@index([name])\n  @@map("things")\n}\n`;

let dir: string;
let schemaPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'folio-create-'));
  schemaPath = join(dir, 'schema.prisma');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createMigration', () => {
  it('writes the first migration, nothing when unchanged, then only the difference', async () => {
    const migrationsDir = join(dir, 'migrations');
    await writeFile(schemaPath, V1);
    const first = await createMigration({ name: 'Init', schemaPath, migrationsDir, now: new Date('2025-03-04T05:06:07Z') });
    expect(first.name).toBe('20250304050607_init');
    expect(first.sql).toContain('CREATE TABLE "things"');
    expect(await readFile(join(migrationsDir, first.name!, 'migration.sql'), 'utf8')).toBe(first.sql);
    expect(await readFile(join(migrationsDir, first.name!, SNAPSHOT_FILE), 'utf8')).toBe(V1);
    expect(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(MIGRATION_LOCK_CONTENT);

    const unchanged = await createMigration({ name: 'nothing', schemaPath, migrationsDir });
    expect(unchanged).toEqual({ name: null, sql: null });

    await writeFile(schemaPath, V2);
    // A clock behind the last migration still sorts after it.
    const second = await createMigration({ name: 'add count', schemaPath, migrationsDir, now: new Date('2025-01-01T00:00:00Z') });
    expect(second.name).toBe('20250304050608_add_count');
    expect(second.sql).toContain('ADD COLUMN');
    expect(second.sql).toContain('"count" INTEGER NOT NULL DEFAULT 0');
    expect(second.sql).toContain('CREATE INDEX "things_name_idx"');
    expect(second.sql).not.toContain('CREATE TABLE');
    expect((await readdir(migrationsDir)).sort()).toEqual(['20250304050607_init', '20250304050608_add_count', 'migration_lock.toml']);
  });

  it('creates an empty migration on request, and refuses a history without snapshot', async () => {
    const migrationsDir = join(dir, 'migrations');
    await writeFile(schemaPath, V1);
    await createMigration({ name: 'init', schemaPath, migrationsDir });
    const empty = await createMigration({ name: 'backfill', schemaPath, migrationsDir, empty: true });
    expect(empty.sql).toBe('-- This is an empty migration.\n');
    expect(existsSync(join(migrationsDir, empty.name!, SNAPSHOT_FILE))).toBe(true);

    await rm(join(migrationsDir, empty.name!, SNAPSHOT_FILE));
    await expect(createMigration({ name: 'next', schemaPath, migrationsDir })).rejects.toThrow(/no schema\.prisma\.snapshot/);
  });

  it('names like Prisma: lowercase snake case', () => {
    expect(migrationSlug('Add Page index!')).toBe('add_page_index');
    expect(() => migrationSlug('  !! ')).toThrow();
  });
});
