#!/usr/bin/env node
// Start-up cost of the api and worker processes, built (node dist/*.js) against tsx from source:
// seconds until the process is ready (api: /health/ready; workers: /v1/health/ready, after a
// recognize worker loaded its engines),
// its RSS then (after 2 s idle), its CPU
// seconds, and the CPU of one engine / render thread start (a worker with 3 engines minus one
// with 1, halved; a render thread spawned alone until it reports ready).
//
//   DATABASE_URL=… REDIS_URL=… S3_ENDPOINT=… node scripts/measure-startup.mjs [runs]
//
// Needs a build (`npm run build`) and the dev dependencies (tsx) for the "source" rows.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';

const runs = Number(process.argv[2] ?? 3);
const CLK_TCK = 100;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** utime + stime of a process (all its threads), seconds; its RSS, MB. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  return { cpu, rss };
}

async function startOnce(args, env, healthPort, readyPath) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${healthPort}${readyPath}`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    return { seconds, ...usage(child.pid) };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, args, env, portVar, readyPath = '/v1/health/ready') {
  const rows = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    rows.push(await startOnce(args, { ...env, [portVar]: String(port) }, port, readyPath));
  }
  const r = { seconds: median(rows.map((x) => x.seconds)), rss: median(rows.map((x) => x.rss)), cpu: median(rows.map((x) => x.cpu)) };
  console.log(`${label.padEnd(44)} ${r.seconds.toFixed(2)} s   RSS ${r.rss.toFixed(0)} MB   CPU ${r.cpu.toFixed(2)} s`);
  return r;
}

/** CPU of one render process (render.child) from its start until it reports ready, read from /proc. */
async function renderChildCpu(kind) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const data = { limits: { maxPages: 2000, maxPagePixels: 100_000_000, maxUploadBytes: 1e8 }, cacheSize: 2, compressionLevel: 1 };
    const built = kind === 'built';
    const entry = built ? new URL('../dist/render.child.js', import.meta.url) : new URL('../apps/worker/src/render/render.child.ts', import.meta.url);
    const child = fork(entry, [], {
      execArgv: built ? [] : ['--import', 'tsx'],
      env: { ...process.env, FOLIO_RENDER_DATA: JSON.stringify(data) },
      serialization: 'advanced',
    });
    await new Promise((resolve, reject) => {
      child.on('message', (m) => m?.type === 'ready' && resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`render child exited with ${code}`)));
    });
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second).
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    samples.push((Number(fields[11]) + Number(fields[12])) / 100);
    child.removeAllListeners('exit');
    child.kill();
  }
  const cpu = median(samples);
  console.log(`${`render process start (${kind})`.padEnd(44)} CPU ${cpu.toFixed(2)} s`);
  return cpu;
}

const tsx = ['--import', 'tsx'];
const render = { WORKER_QUEUES: 'ingest,render,finalize,maintenance,webhook' };
const recognize = (n) => ({ WORKER_QUEUES: 'recognize', OCR_ENGINE_WORKERS: String(n) });

console.log(`Node ${process.version}, ${runs} runs each, medians`);
for (const [kind, api, worker] of [
  ['source (tsx)', [...tsx, 'apps/api/src/main.ts'], [...tsx, 'apps/worker/src/main.ts']],
  ['built', ['dist/api.js'], ['dist/worker.js']],
]) {
  // The api's own readiness (Postgres, Redis, S3); /v1/health/ready also wants a recognize worker.
  await measure(`api, ${kind}`, api, {}, 'PORT', '/health/ready');
  await measure(`render worker, ${kind}`, worker, render, 'METRICS_PORT');
  const one = await measure(`recognize worker, 1 engine, ${kind}`, worker, recognize(1), 'METRICS_PORT');
  const three = await measure(`recognize worker, 3 engines, ${kind}`, worker, recognize(3), 'METRICS_PORT');
  console.log(`${`engine thread start, ${kind}`.padEnd(44)} CPU ${((three.cpu - one.cpu) / 2).toFixed(2)} s per thread`);
}
await renderChildCpu('source');
await renderChildCpu('built');
