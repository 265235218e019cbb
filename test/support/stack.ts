import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@folio/config';
import { createLogger } from '@folio/services';
import { startWorkerRuntime, type WorkerRuntime } from '@folio/worker';
import { startStack as startApiStack, type Stack as ApiStack, type StackOptions } from '../../apps/api/test/support/stack.ts';

export { basicAuth, eventually, fileWhenFinal, type SpawnedApi, type StackOptions } from '../../apps/api/test/support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The API's test stack (apps/api/test/support/stack.ts) with workers, in this process or as children. */
export interface Stack extends ApiStack {
  /** Starts a worker in this process. */
  startWorker(overrides?: Record<string, string>): Promise<WorkerRuntime>;
  /** Starts `npm run worker` as a real child process (so a test can kill -9 it). */
  spawnWorker(overrides?: Record<string, string>): ChildProcess;
}

/**
 * API and workers on demand against real Postgres (a fresh database), real Redis (a fresh key
 * prefix) and a real S3 server over HTTP, all torn down by `close` (worker children killed,
 * workers closed, then the API stack).
 */
export async function startStack(envOverrides: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const stack = await startApiStack(envOverrides, options);
  const { env } = stack;
  const children = new Set<ChildProcess>();
  const workers: WorkerRuntime[] = [];
  return {
    ...stack,
    async startWorker(overrides = {}) {
      const c = loadConfig({ ...env, ...overrides });
      const w = await startWorkerRuntime(c, createLogger(c, 'worker'));
      workers.push(w);
      return w;
    },
    spawnWorker(overrides = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
        cwd: repoRoot,
        env: { ...process.env, ...env, ...overrides },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.close()));
      await stack.close();
    },
  };
}
