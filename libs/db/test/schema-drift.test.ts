// Fails when prisma/schema.prisma and prisma/migrations disagree, the way
// `prisma migrate diff --from-migrations --to-schema --exit-code` would.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  readMigrations,
  readSnapshot,
} from '../src/migrations/migration.files.ts';
import { diffDatabaseToSchema, diffSchemas } from '../src/migrations/schema-engine.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

const FIX = 'Run `npm run db:migration -- <name>` to create the missing migration.';

let schema: string;
let db: TestDatabase;
beforeAll(async () => {
  schema = await readFile(defaultSchemaPath, 'utf8');
  db = await createTestDatabase({ label: 'drift' });
});
afterAll(async () => {
  await db?.drop();
});

describe('schema.prisma vs prisma/migrations', () => {
  it("the database the migrations build is exactly the schema's", async () => {
    const diff = await diffDatabaseToSchema(db.url, schema);
    expect(diff, `${FIX}\nMissing SQL:\n${diff}`).toBeNull();
  });

  it("the last migration's snapshot equals the schema (so the next migration diffs from the right place)", async () => {
    const migrations = await readMigrations(defaultMigrationsDir);
    expect(migrations.length).toBeGreaterThan(0);
    const snapshot = await readSnapshot(migrations.at(-1)!);
    expect(snapshot, 'the last migration has no schema.prisma.snapshot').not.toBeNull();
    const diff = await diffSchemas(snapshot, schema);
    expect(diff, `${FIX}\nMissing SQL:\n${diff}`).toBeNull();
  });

  it("every migration has a snapshot and Prisma's lock file is in place", async () => {
    for (const m of await readMigrations(defaultMigrationsDir)) expect(await readSnapshot(m), m.name).not.toBeNull();
    const lock = join(defaultMigrationsDir, MIGRATION_LOCK_FILE);
    expect(existsSync(lock)).toBe(true);
    expect(await readFile(lock, 'utf8')).toBe(MIGRATION_LOCK_CONTENT);
  });

  it('the checked-in Prisma client was generated from this schema (else: npm run db:generate)', async () => {
    const client = await readFile(new URL('../src/generated/internal/class.ts', import.meta.url), 'utf8');
    const inline = /^\s*"inlineSchema": (".*"),$/m.exec(client)?.[1];
    expect(inline, 'generated client has no inlineSchema').toBeDefined();
    expect(JSON.parse(inline!) as string, 'libs/db/src/generated is stale: run npm run db:generate').toBe(schema);
  });

  it('would notice a schema change the migrations lack', async () => {
    const changed = schema.replace(/model Organization \{\n/, 'model Organization {\n  drift Int?\n');
    expect(changed).not.toBe(schema);
    expect(await diffDatabaseToSchema(db.url, changed)).toMatch(/ALTER TABLE "organizations" ADD COLUMN\s+"drift" INTEGER/);
  });
});
