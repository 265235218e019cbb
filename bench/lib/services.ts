import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '@folio/db';
import { createTestDatabase, type TestDatabase } from '@folio/db/testing';
import { createQueues, createRedisConnection, type Queues } from '@folio/queue';
import { startEmbeddedS3, type EmbeddedS3 } from '@folio/storage';
import type { Redis } from 'ioredis';
import { freePort } from '@folio/services';

/**
 * Real services for the control-plane benchmarks: a fresh database on the Postgres of
 * FOLIO_TEST_DATABASE_URL (default 127.0.0.1:5432), a fresh key prefix on Redis (REDIS_URL,
 * default 127.0.0.1:6379), an S3 server in this process, and the API and workers as child
 * processes (`npm run api` / `npm run worker`), so each one's memory and CPU are its own.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServices {
  env: Record<string, string>;
  db: Db;
  queues: Queues;
  apiUrl: string;
  api: ChildProcess;
  dev: { apiKey: string; modelId: string; orgId: string };
  spawnWorker(overrides?: Record<string, string>): ChildProcess;
  /** Resolves once `count` worker processes serve the recognize queue. */
  workersReady(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnNode(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function startBenchServices(envOverrides: Record<string, string> = {}): Promise<BenchServices> {
  const home = await mkdtemp(path.join(tmpdir(), 'folio-bench-'));
  await chmod(home, 0o755);
  const children = new Set<ChildProcess>();
  let database: TestDatabase | undefined;
  let s3: EmbeddedS3 | undefined;
  let redis: Redis | undefined;
  try {
    database = await createTestDatabase({ label: 'bench' });
    s3 = await startEmbeddedS3({ directory: path.join(home, 's3'), buckets: ['folio'] });
    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `bench${randomBytes(4).toString('hex')}`,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'folio',
      FOLIO_HOME: home,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      OCR_ENGINE: 'noop',
      ...envOverrides,
    };
    const db = createDb(database.url);
    const dev = await db.organizations.ensureDevOrganization();
    redis = createRedisConnection(env.REDIS_URL as string);
    const queues = createQueues({ connection: redis, prefix: env.QUEUE_PREFIX as string });
    const api = spawnNode('apps/api/src/main.ts', env);
    children.add(api);
    const apiUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode}`);
      const ok = await fetch(`${apiUrl}/v1/health/live`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 600) throw new Error('the API did not start within 60 s');
      await sleep(100);
    }
    const s3Server = s3;
    const dbHandle = database;
    const conn = redis;
    return {
      env,
      db,
      queues,
      apiUrl,
      api,
      dev: { apiKey: dev.plaintextKey, modelId: dev.model.id, orgId: dev.organization.id },
      spawnWorker(overrides = {}) {
        const child = spawnNode('apps/worker/src/main.ts', { ...env, ...overrides });
        children.add(child);
        child.once('exit', () => children.delete(child));
        return child;
      },
      async workersReady(count, timeoutMs = 120_000) {
        const until = Date.now() + timeoutMs;
        while ((await queues.queue('recognize').getWorkersCount()) < count) {
          if (Date.now() > until) throw new Error(`${count} workers did not connect within ${timeoutMs} ms`);
          await sleep(200);
        }
      },
      async close() {
        for (const child of children) child.kill('SIGKILL');
        await queues.obliterate().catch(() => {});
        await queues.close();
        conn.disconnect();
        await db.close();
        await s3Server.close();
        await dbHandle.drop();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const child of children) child.kill('SIGKILL');
    redis?.disconnect();
    await s3?.close();
    await database?.drop();
    await rm(home, { recursive: true, force: true });
    throw err;
  }
}

/** Resident set size of a process, bytes (Linux /proc); 0 once it is gone. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, ms (Linux /proc, 100 ticks a second); 0 once it is gone. */
export function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Load average over 1 minute and cores, to print next to figures taken on a shared machine. */
export function machineNote(): string {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  return `machine: ${availableParallelism()} cores, load average ${load} at start`;
}
