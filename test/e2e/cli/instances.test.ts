import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTextPdf } from '@folio/documents/testing';
import { createQueues, createRedisConnection } from '@folio/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Instance {
  child: ChildProcess;
  url: string;
  apiKey: string;
  prefix: string;
  log: () => string;
}

/**
 * Two `folio serve` (as `npm start` runs it: embedded Postgres and S3 under their own FOLIO_HOME)
 * on one Redis: each must finish its own files, whether their queue prefixes are derived (they
 * differ) or set to the same QUEUE_PREFIX (each worker leaves the other's jobs to it).
 */
describe('two Folio instances on one Redis', () => {
  let dir: string;
  let pdf: Uint8Array;
  const running: ChildProcess[] = [];
  const prefixes = new Set<string>();

  const serve = async (home: string, env: Record<string, string> = {}): Promise<Instance> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve'], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: dir,
        FOLIO_HOME: home,
        PORT: '0',
        REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
        OCR_ENGINE: 'noop',
        RECONCILE_INTERVAL_MS: '5000',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const url = await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${out}`);
      return /Folio is running at (\S+)/.exec(out)?.[1];
    }, 90_000, 'folio serve to start');
    const saved = JSON.parse(await readFile(path.join(home, 'dev-credentials.json'), 'utf8')) as { apiKey: string; url: string };
    expect(saved.url).toBe(url);
    const prefix = /queues:\s+(\S+)/.exec(out)?.[1] ?? '';
    prefixes.add(prefix);
    return { child, url, apiKey: saved.apiKey, prefix, log: () => out };
  };

  const stop = async (i: Instance) => {
    if (i.child.exitCode !== null) return;
    const exited = new Promise((resolve) => i.child.once('exit', resolve));
    i.child.kill('SIGTERM');
    await exited;
  };

  /** Uploads the 2-page PDF through the Files API and waits for `complete` with both pages done. */
  const finishes = async (i: Instance) => {
    const form = new FormData();
    form.append('purpose', 'ocr');
    form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'two-pages.pdf');
    const auth = { authorization: `Bearer ${i.apiKey}` };
    const res = await fetch(`${i.url}/v1/files`, { method: 'POST', body: form, headers: auth });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    return eventually(
      async () => {
        const file = (await (await fetch(`${i.url}/v1/files/${id}`, { headers: auth })).json()) as { processing?: { status: string; pages_done: number } };
        return file.processing?.status === 'complete' ? file.processing : undefined;
      },
      90_000,
      `file ${id} on ${i.url} to complete`,
    );
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'folio-instances-'));
    // mkdtemp makes mode 700; as root, embedded Postgres (user postgres) must enter it.
    await chmod(dir, 0o755);
    pdf = makeTextPdf([['First page'], ['Second page']]);
  });
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    // The instances' queues stay in the shared Redis after they stop: remove them.
    const redis = createRedisConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    for (const prefix of prefixes) {
      if (!prefix) continue;
      const queues = createQueues({ connection: redis, prefix });
      await queues.obliterate().catch(() => {});
      await queues.close();
    }
    redis.disconnect();
  });

  it('derive their own queue prefixes from their data directories and both finish their files', async () => {
    const [a, b] = await Promise.all([serve(path.join(dir, 'a')), serve(path.join(dir, 'b'))]);
    try {
      expect(a.prefix).toMatch(/^folio-[0-9a-f]{8}$/);
      expect(b.prefix).toMatch(/^folio-[0-9a-f]{8}$/);
      expect(a.prefix).not.toBe(b.prefix);
      const [doneA, doneB] = await Promise.all([finishes(a), finishes(b)]);
      expect(doneA).toMatchObject({ status: 'complete', pages_done: 2 });
      expect(doneB).toMatchObject({ status: 'complete', pages_done: 2 });
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 240_000);

  it('sharing one QUEUE_PREFIX, each leaves the other\'s jobs to it (saying so loudly) and both still finish', async () => {
    const shared = { QUEUE_PREFIX: `folio-shared-${process.pid}` };
    const [a, b] = await Promise.all([serve(path.join(dir, 'a'), shared), serve(path.join(dir, 'b'), shared)]);
    try {
      expect(a.prefix).toBe(shared.QUEUE_PREFIX);
      const results = await Promise.all([finishes(a), finishes(b), finishes(a), finishes(b)]);
      for (const done of results) expect(done).toMatchObject({ status: 'complete', pages_done: 2 });
      expect(a.log() + b.log()).toContain('job of another Folio instance');
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 240_000);
});
