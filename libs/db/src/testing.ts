// @folio/db/testing: a throwaway, migrated database per test file.
import { randomBytes } from 'node:crypto';
import { dropDatabase } from './migrations/database.admin.ts';
import { migrate } from './migrations/migration.runner.ts';

/** Server the test databases are created on. @defaultValue postgres://postgres@127.0.0.1:5432 (override: FOLIO_TEST_DATABASE_URL) */
export function testServerUrl(): string {
  return process.env['FOLIO_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  /** Drops it, ending any connection still open. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database (`folio_test_<label>_<random>`) and applies every migration.
 * Call `drop()` in afterAll. Other helpers' tests run at the same time; names never collide.
 */
export async function createTestDatabase(options: { label?: string; serverUrl?: string } = {}): Promise<TestDatabase> {
  const label = (options.label ?? 't').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  const name = `folio_test_${label}_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
  const url = new URL(options.serverUrl ?? testServerUrl());
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  await migrate(dbUrl);
  let dropped: Promise<void> | undefined;
  return { url: dbUrl, drop: () => (dropped ??= dropDatabase(dbUrl)) };
}
