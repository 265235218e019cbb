import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase } from './database.admin.ts';
import { checksumMatches, defaultMigrationsDir, readMigrations, type MigrationFile } from './migration.files.ts';

/** The key `prisma migrate` locks with, so this runner and Prisma's never run at once. */
export const MIGRATE_ADVISORY_LOCK = 72707369;

// Prisma's own definition of its history table (schema-engine postgres flavour).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  /** @defaultValue `<repo>/prisma/migrations` */
  migrationsDir?: string;
  /** Create the database when it does not exist. @defaultValue true */
  createDatabase?: boolean;
  /** Progress lines (one per applied migration). @defaultValue silent */
  log?: (line: string) => void;
}

export interface MigrateResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Migrations that were already applied. */
  alreadyApplied: string[];
  /** Applied in the database but absent from the directory (a newer release ran); left alone. */
  unknown: string[];
}

/** Why `migrate` refused or failed; `migration` names the culprit when there is one. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: 'checksum_mismatch' | 'failed_migration' | 'not_empty' | 'apply_failed',
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function tableExists(client: pg.Client, name: string): Promise<boolean> {
  const res = await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [`"${name}"`]);
  return res.rows[0]?.exists === true;
}

async function userTableCount(client: pg.Client): Promise<number> {
  const res = await client.query(
    `SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  return res.rows[0]?.n ?? 0;
}

async function applyOne(client: pg.Client, m: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    // The history row is written in the migration's own transaction: a crash leaves neither.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, m.checksum, m.name],
    );
    await client.query(m.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    // Keep Prisma's audit trail of the attempt. The transaction undid the whole migration, so
    // the row is marked rolled back: the next run retries instead of demanding a manual resolve.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, now(), now(), 0)`,
      [id, m.checksum, m.name, String((err as Error).message ?? err)],
    );
    throw new MigrationError('apply_failed', `Migration ${m.name} failed and was rolled back: ${(err as Error).message}`, m.name, {
      cause: err,
    });
  }
}

/**
 * Applies the pending migrations of `prisma/migrations` to the database at `databaseUrl`,
 * the way `prisma migrate deploy` does, without Prisma's native engine:
 * - creates the database when missing (`createDatabase`),
 * - holds Prisma's advisory lock (72707369) for the whole run, so concurrent runners (and a
 *   real `prisma migrate deploy`) serialize,
 * - refuses when an applied migration's migration.sql changed (checksum), when Prisma left a
 *   failed migration unresolved, or when the database has tables but no migration history,
 * - runs each migration and its `_prisma_migrations` row in one transaction.
 * Idempotent: a second run applies nothing.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir);
  if (options.createDatabase ?? true) await ensureDatabase(databaseUrl);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_ADVISORY_LOCK]);
    try {
      if (!(await tableExists(client, '_prisma_migrations'))) {
        if ((await userTableCount(client)) > 0) {
          throw new MigrationError(
            'not_empty',
            'The database has tables but no _prisma_migrations history; refusing to migrate it (baseline it first, as with Prisma P3005)',
          );
        }
        await client.query(CREATE_MIGRATIONS_TABLE);
      }
      const history = (
        await client.query<HistoryRow>(
          `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
        )
      ).rows;

      const failed = history.find((h) => h.finished_at === null && h.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          'failed_migration',
          `Migration ${failed.migration_name} failed earlier and is unresolved; fix it, then mark it with \`prisma migrate resolve --rolled-back ${failed.migration_name}\``,
          failed.migration_name,
        );
      }
      const done = new Map(history.filter((h) => h.finished_at !== null && h.rolled_back_at === null).map((h) => [h.migration_name, h]));
      const local = new Set(migrations.map((m) => m.name));
      const result: MigrateResult = { applied: [], alreadyApplied: [], unknown: [...done.keys()].filter((n) => !local.has(n)) };

      for (const m of migrations) {
        const row = done.get(m.name);
        if (row && !checksumMatches(m.sql, row.checksum)) {
          throw new MigrationError(
            'checksum_mismatch',
            `Migration ${m.name} was modified after it was applied (checksum ${row.checksum} in the database, ${m.checksum} on disk)`,
            m.name,
          );
        }
      }
      for (const m of migrations) {
        if (done.has(m.name)) {
          result.alreadyApplied.push(m.name);
          continue;
        }
        await applyOne(client, m);
        result.applied.push(m.name);
        log(`applied ${m.name}`);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
