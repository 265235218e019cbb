import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  readMigrations,
  readSnapshot,
  SNAPSHOT_FILE,
} from './migration.files.ts';
import { diffSchemas } from './schema-engine.ts';

export interface CreateMigrationOptions {
  /** Free text; becomes the snake_case suffix of the directory name. */
  name: string;
  /** @defaultValue `<repo>/prisma/schema.prisma` */
  schemaPath?: string;
  /** @defaultValue `<repo>/prisma/migrations` */
  migrationsDir?: string;
  /** Create a migration even when the schema did not change (for hand-written data migrations). */
  empty?: boolean;
  /** Clock for the directory's timestamp. @defaultValue `new Date()` */
  now?: Date;
}

export interface CreatedMigration {
  /** Directory name, or null when the schema has not changed since the last migration. */
  name: string | null;
  sql: string | null;
}

const EMPTY_MIGRATION = '-- This is an empty migration.\n';

/** `Add page index!` → `add_page_index`, as Prisma names migration directories. */
export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug) throw new Error(`Migration name "${name}" has no letters or digits`);
  return slug;
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Creates the next migration: the wasm schema engine diffs the snapshot kept with the last
 * migration against the current schema (no database, no shadow database) and writes
 * `<migrationsDir>/<UTC timestamp>_<slug>/migration.sql`, the new snapshot beside it and
 * `migration_lock.toml`, in Prisma's own layout.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration> {
  const schemaPath = options.schemaPath ?? defaultSchemaPath;
  const dir = options.migrationsDir ?? defaultMigrationsDir;
  const schema = await readFile(schemaPath, 'utf8');
  const migrations = await readMigrations(dir);
  const last = migrations.at(-1);
  let previous: string | null = null;
  if (last) {
    previous = await readSnapshot(last);
    if (previous === null) {
      throw new Error(
        `Migration ${last.name} has no ${SNAPSHOT_FILE}; copy the schema.prisma that matches it there, then run this again`,
      );
    }
  }
  const diff = await diffSchemas(previous, schema);
  if (diff === null && !options.empty) return { name: null, sql: null };

  let stamp = timestamp(options.now ?? new Date());
  // Directory names order the migrations: never sort before (or tie with) the last one.
  const lastStamp = last?.name.slice(0, 14);
  if (lastStamp && /^\d{14}$/.test(lastStamp) && stamp <= lastStamp) stamp = String(BigInt(lastStamp) + 1n);
  const name = `${stamp}_${migrationSlug(options.name)}`;
  const sql = diff ?? EMPTY_MIGRATION;

  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
  await writeFile(join(dir, name, SNAPSHOT_FILE), schema);
  const lockPath = join(dir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockPath) || (await readFile(lockPath, 'utf8')) !== MIGRATION_LOCK_CONTENT) {
    await writeFile(lockPath, MIGRATION_LOCK_CONTENT);
  }
  return { name, sql };
}
