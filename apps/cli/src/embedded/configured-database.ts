import path from 'node:path';
import type { Config } from '@folio/config';
import { createDb, migrate, type Db } from '@folio/db';
import { startEmbeddedPostgres } from './postgres.ts';

/**
 * Runs `use` against the database admin commands work on: DATABASE_URL, else the embedded
 * Postgres under FOLIO_HOME (started for the command and stopped after it), migrated first.
 */
export async function withConfiguredDatabase<T>(config: Config, use: (db: Db) => Promise<T>): Promise<T> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(path.resolve(config.FOLIO_HOME), () => {});
  const url = (config.DATABASE_URL ?? embedded?.url) as string;
  const db = createDb(url);
  try {
    await migrate(url);
    return await use(db);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}
