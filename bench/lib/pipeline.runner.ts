import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageToText, type OcrPage } from '@folio/ocr';
import { createEventBus, createRedisConnection } from '@folio/queue';
import { basicAuth, startStack } from '../../apps/api/test/support/stack.ts';
import { ownCpuSeconds, processCpuSeconds, processPeakRssMb } from './proc-stat.ts';
import type { BenchDocument } from './throughput-docs.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One worker process of a topology: its role and environment overrides. */
export interface WorkerSpec {
  role: string;
  env: Record<string, string>;
}

export interface PipelineResult {
  pages: number;
  /** Upload of the first document to the last file finished, s. */
  wall: number;
  /** CPU seconds of the worker processes during the run (model loading excluded), by role. */
  workerCpu: Record<string, number>;
  /** CPU seconds of the benchmark process during the run: API, S3 server, uploads. */
  apiCpu: number;
  /** Peak RSS per worker process, MiB. */
  peakRssMb: Record<string, number>;
  /** Text of every page by document name, in page order. */
  texts: Map<string, string[]>;
  /** CPU seconds the engines spent on these pages (engine threads, from each result's `timings.threadCpu`). */
  engineCpu: number;
  failedPages: number;
}

/** Starts `npm run worker` with `env`; resolves with the child once it logged "worker started". */
function startWorker(env: Record<string, string>, role: string, nodeArgs: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (b: Buffer) => (tail = (tail + b.toString('utf8')).slice(-4000));
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      keep(b);
      if (tail.includes('"msg":"worker started"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${role} worker exited with ${code} before it started:\n${tail}`)));
  });
}

/**
 * API (in this process, with the in-process S3 server), real Postgres and Redis through
 * `startStack`, and one real worker process per `WorkerSpec`. Every document is uploaded at once
 * (Nanonets async LabelFile); the run ends when the last file reaches a final status (completion
 * events, no polling).
 */
export async function runPipeline(
  documents: readonly BenchDocument[],
  workers: readonly WorkerSpec[],
  baseEnv: Record<string, string>,
  /** Extra `node` flags for the worker processes (`--cpu-prof`, …). */
  nodeArgs: readonly string[] = [],
): Promise<PipelineResult> {
  const stack = await startStack({ LOG_LEVEL: 'warn', ...baseEnv });
  const children: Array<{ role: string; child: ChildProcess }> = [];
  const redis = createRedisConnection(stack.env.REDIS_URL as string);
  const events = createEventBus(redis, stack.env.QUEUE_PREFIX as string);
  try {
    for (const w of workers) children.push({ role: w.role, child: await startWorker({ ...stack.env, ...baseEnv, ...w.env }, w.role, nodeArgs) });
    const cpu0 = children.map(({ child }) => processCpuSeconds(child.pid!));
    const api0 = ownCpuSeconds();
    const t0 = performance.now();
    const url = `${stack.api.url}/api/v2/OCR/Model/${stack.dev.modelId}/LabelFile/Async/`;
    const finals = await Promise.all(
      documents.map(async (doc) => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(doc.pdf)], { type: 'application/pdf' }), `${doc.name}.pdf`);
        const res = await fetch(url, { method: 'POST', body: form, headers: { authorization: basicAuth(stack.dev.apiKey) } });
        const body = (await res.json()) as { result?: Array<{ request_file_id?: string }> };
        const fileId = body.result?.[0]?.request_file_id;
        if (res.status !== 200 || !fileId) throw new Error(`upload of ${doc.name} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        const event = await events.waitForFile(fileId, {
          statuses: ['COMPLETE', 'PARTIAL', 'FAILED'],
          timeoutMs: 30 * 60_000,
          check: async () => {
            const f = await stack.db.files.findById(fileId);
            return f && ['COMPLETE', 'PARTIAL', 'FAILED'].includes(f.status) ? { type: 'file', fileId, status: f.status } : null;
          },
        });
        if (!event) throw new Error(`${doc.name} did not finish`);
        return { doc, fileId, at: performance.now() };
      }),
    );
    const wall = (Math.max(...finals.map((f) => f.at)) - t0) / 1000;
    const apiCpu = ownCpuSeconds() - api0;
    const workerCpu: Record<string, number> = {};
    const peakRssMb: Record<string, number> = {};
    children.forEach(({ role, child }, i) => {
      workerCpu[role] = (workerCpu[role] ?? 0) + processCpuSeconds(child.pid!) - cpu0[i]!;
      peakRssMb[role] = Math.max(peakRssMb[role] ?? 0, processPeakRssMb(child.pid!));
    });
    const texts = new Map<string, string[]>();
    let failedPages = 0;
    let engineCpu = 0;
    for (const { doc, fileId } of finals) {
      const pages = await stack.db.pages.listByFile(fileId);
      failedPages += pages.filter((p) => p.status !== 'DONE').length;
      const results = pages.map((p) => p.result as unknown as OcrPage | null);
      texts.set(doc.name, results.map((r) => (r ? pageToText(r) : '')));
      engineCpu += results.reduce((a, r) => a + (r?.timings?.['threadCpu'] ?? Number.NaN), 0) / 1000;
    }
    return { pages: documents.reduce((a, d) => a + d.pages.length, 0), wall, workerCpu, apiCpu, peakRssMb, texts, engineCpu, failedPages };
  } finally {
    // SIGTERM: workers shut down gracefully (and write --cpu-prof profiles when asked to).
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await events.close();
    redis.disconnect();
    await stack.close();
  }
}
