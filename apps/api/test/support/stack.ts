import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiRuntime, type ApiRuntime } from '@folio/api';
import { loadConfig, type Config } from '@folio/config';
import { isFinalFileStatus } from '@folio/contracts';
import { createDb, type Db } from '@folio/db';
import { createTestDatabase, type TestDatabase } from '@folio/db/testing';
import { createQueues, createRedisConnection } from '@folio/queue';
import { createLogger, freePort } from '@folio/services';
import { startEmbeddedS3, type EmbeddedS3 } from '@folio/storage';
import { startS3FaultProxy, type S3FaultProxy } from './s3-fault-proxy.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface Stack {
  config: Config;
  /** The environment that reproduces `config` in a child process. */
  env: Record<string, string>;
  api: ApiRuntime;
  db: Db;
  dev: { apiKey: string; modelId: string; orgId: string };
  /** Starts `npm run api` as a real child process on a free port; resolves once it answers. */
  spawnApi(overrides?: Record<string, string>): Promise<SpawnedApi>;
  /** The fault-injecting proxy between the services and S3, when started with `s3Proxy`. */
  s3Faults: S3FaultProxy | undefined;
  close(): Promise<void>;
}

/** An API child process. */
export interface SpawnedApi {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal) once the process ended. */
  exited: Promise<number | string | null>;
}

export interface StackOptions {
  /** Create the test database on this server instead of the shared one (a test that restarts it). */
  databaseServerUrl?: string;
  /** Put a fault-injecting HTTP proxy between every Folio process and the S3 server. */
  s3Proxy?: boolean;
}

/**
 * The API against real Postgres (a fresh database), real Redis (a fresh key prefix) and a real S3
 * server over HTTP, all torn down by `close`. No worker runs: a test that needs jobs processed is
 * end-to-end and uses test/support/stack.ts, which adds workers to this.
 */
export async function startStack(envOverrides: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const home = await mkdtemp(path.join(tmpdir(), 'folio-stack-'));
  let database: TestDatabase | undefined;
  let s3: EmbeddedS3 | undefined;
  let faults: S3FaultProxy | undefined;
  const children = new Set<ChildProcess>();
  try {
    database = await createTestDatabase({ label: 'stack', ...(options.databaseServerUrl ? { serverUrl: options.databaseServerUrl } : {}) });
    s3 = await startEmbeddedS3({ directory: path.join(home, 's3'), buckets: ['folio'] });
    if (options.s3Proxy) faults = await startS3FaultProxy(s3.endpoint);
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `t${randomBytes(6).toString('hex')}`,
      S3_ENDPOINT: faults?.endpoint ?? s3.endpoint,
      S3_BUCKET: 'folio',
      FOLIO_HOME: home,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env['FOLIO_TEST_LOG_LEVEL'] ?? 'warn',
      JOB_BACKOFF_MS: '200',
      ...envOverrides,
    };
    const config = loadConfig(env);
    const db = createDb(database.url);
    const dev = await db.organizations.ensureDevOrganization();
    const api = await startApiRuntime(config, createLogger(config, 'api'));
    const dropDb = database.drop;
    const s3Server = s3;

    return {
      config,
      env,
      api,
      db,
      dev: { apiKey: dev.plaintextKey, modelId: dev.model.id, orgId: dev.organization.id },
      async spawnApi(overrides = {}) {
        const port = await freePort();
        const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
          cwd: repoRoot,
          env: { ...process.env, ...env, PORT: String(port), ...overrides },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        children.add(child);
        const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
        void exited.then(() => children.delete(child));
        const url = `http://127.0.0.1:${port}`;
        await eventually(
          async () => {
            if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API child exited (${child.exitCode ?? child.signalCode})`);
            const res = await fetch(`${url}/v1/health/live`).catch(() => undefined);
            return res?.ok ? true : undefined;
          },
          60_000,
          'the API child to answer',
        );
        return { child, url, exited };
      },
      s3Faults: faults,
      async close() {
        for (const child of children) child.kill('SIGKILL');
        await api.close();
        const redis = createRedisConnection(env.REDIS_URL as string);
        const queues = createQueues({ connection: redis, prefix: env.QUEUE_PREFIX as string });
        await queues.obliterate().catch(() => {});
        await queues.close();
        redis.disconnect();
        await db.close();
        await faults?.close();
        await s3Server.close();
        await dropDb();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await faults?.close();
    await s3?.close();
    await database?.drop();
    await rm(home, { recursive: true, force: true });
    throw err;
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the file is COMPLETE, PARTIAL or FAILED and answers its row then. */
export function fileWhenFinal(stack: Pick<Stack, 'db'>, fileId: string, timeoutMs: number, what = `file ${fileId} to finish`) {
  return eventually(
    async () => {
      const f = await stack.db.files.findById(fileId);
      return f && isFinalFileStatus(f.status) ? f : undefined;
    },
    timeoutMs,
    what,
  );
}

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
}
