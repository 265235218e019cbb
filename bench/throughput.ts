/**
 * End-to-end throughput: pages per second through api → render → recognize → db with the real
 * engine, against the engine alone on the same pages with the same engine configuration.
 *
 *   npm run bench:throughput -- [--quick] [--procs 1,2] [--batch 1,4|none] [--out bench/out] [--profile DIR]
 *
 * Documents (bench/lib/throughput-docs.ts): 5-page reports of dense prose, 2-page forms and till
 * receipts; full = 200 pages in 100 documents, --quick = 24 pages in 12. Needs Postgres and Redis
 * like the integration tests (apps/api/test/support/stack.ts); the API and the S3 server run in this
 * process, workers as real `npm run worker` processes:
 *   1 process:   every stage in one worker (OCR_ENGINE_WORKERS engines)
 *   2 processes: ingest/render/finalize in one, recognize (OCR_ENGINE_WORKERS engines) in the other
 * Engine alone: the same engines (pool of OCR_ENGINE_WORKERS × OCR_THREADS, from the same config) on
 * the same pages, decoded from the same PNG the pipeline stores (render cost excluded), fed with a
 * bounded number in flight; once per `--batch` size (pages per `recognizeBatch`, to decide
 * RECOGNIZE_BATCH_PAGES). CPU: worker processes from /proc (model loading excluded) plus this
 * process (API, S3, uploads); Postgres and Redis are not counted. On a shared machine wall time
 * follows the load: compare the CPU-based figures too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@folio/config';
import { decodeImage, encodePageImage, openDocument, type DocumentSource, type Raster } from '@folio/documents';
import { writePdf } from '@folio/documents/testing';
import { createBatchingEngine, createEnginePool, createOcrEngine, engineOptionsFromConfig, pageToText, withUsableProviders, type OcrEngine } from '@folio/ocr';
import { runPipeline, type PipelineResult, type WorkerSpec } from './lib/pipeline.runner.ts';
import { ownCpuSeconds } from './lib/proc-stat.ts';
import { fmt, formatTable } from './lib/table.ts';
import { benchDocuments, distinctPages, type BenchDocument } from './lib/throughput-docs.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    procs: { type: 'string', default: '1,2' },
    batch: { type: 'string', default: '1,4' },
    out: { type: 'string', default: path.join(here, 'out') },
    /** Write V8 CPU profiles of the worker processes to this directory. */
    profile: { type: 'string' },
  },
});
const config = loadConfig();
const cores = (await import('node:os')).availableParallelism();
const log = (m: string) => process.stderr.write(`${m}\n`);
const outDir = path.resolve(values.out, 'throughput');
mkdirSync(outDir, { recursive: true });

const documents = benchDocuments(values.quick);
const sequence = documents.flatMap((d) => d.pages);
log(`${documents.length} documents, ${sequence.length} pages; ${config.OCR_ENGINE_WORKERS} engine(s) × ${config.OCR_THREADS} thread(s); ${cores} cores; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// The pixels recognize gets in the pipeline: the page rendered at RENDER_DPI, stored as render
// stores it (encodePageImage), decoded.
const rasters = new Map<string, Raster>();
for (const [key, page] of distinctPages()) {
  const doc = await openDocument(writePdf([page]));
  const stored = await encodePageImage(await doc.renderPage(0, { dpi: config.RENDER_DPI, grayWhenNeutral: true }), { compressionLevel: config.RENDER_PNG_COMPRESSION });
  rasters.set(key, await decodeImage(stored));
  await doc.close();
}

const warnings: string[] = [];
const engineOptions = await withUsableProviders(engineOptionsFromConfig(config), (m) => warnings.push(m));
const gpu = engineOptions.executionProviders.some((p) => p !== 'cpu');

interface Run {
  name: string;
  pages: number;
  wall: number;
  cpu: number;
  /** CPU seconds inside the engines (engine threads; `timings.threadCpu`), NaN when unknown. */
  engineCpu: number;
  load: number;
  detail?: string;
}

/**
 * Where the engine-alone run gets its pages: 'pixels' decodes the PNG the pipeline stores (render
 * excluded: what a host that only recognizes does); 'documents' opens each bench PDF and renders
 * its pages at RENDER_DPI in this process, as `folio ocr` does (the whole work of reading the
 * documents, without queues, S3, PNG hand-over and Postgres).
 */
type AloneSource = 'pixels' | 'documents';

async function engineAlone(batch: number, source: AloneSource): Promise<Run & { texts: Map<string, string> }> {
  const base: OcrEngine =
    config.OCR_ENGINE_WORKERS > 1 ? await createEnginePool({ ...engineOptions, workers: config.OCR_ENGINE_WORKERS }) : await createOcrEngine(engineOptions);
  const engine = batch > 1 ? createBatchingEngine(base, { maxPages: batch, waitMs: Math.max(50, config.RECOGNIZE_BATCH_WAIT_MS) }) : base;
  const texts = new Map<string, string>();
  let engineCpu = 0;
  const inFlight = 2 * config.OCR_ENGINE_WORKERS * batch;
  const work = documents.flatMap((doc) => doc.pages.map((key, index) => ({ doc, key, index })));
  const opened = new Map<BenchDocument, { doc: Promise<DocumentSource>; left: number }>();
  const pixels = async (item: (typeof work)[number]): Promise<Raster> => {
    if (source === 'pixels') {
      const r = rasters.get(item.key)!;
      // A copy per page: the pool takes (detaches) the buffer it is given.
      return { ...r, data: new Uint8Array(r.data) };
    }
    let entry = opened.get(item.doc);
    if (!entry) opened.set(item.doc, (entry = { doc: openDocument(item.doc.pdf), left: item.doc.pages.length }));
    const doc = await entry.doc;
    const raster = await doc.renderPage(item.index, { dpi: config.RENDER_DPI, grayWhenNeutral: true });
    if (--entry.left === 0) await doc.close();
    return raster;
  };
  const cpu0 = ownCpuSeconds();
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < work.length) {
      const item = work[next++]!;
      const r = await pixels(item);
      const page = await engine.recognize(r, { dpi: r.dpi });
      if (!texts.has(item.key)) texts.set(item.key, pageToText(page));
      engineCpu += (page.timings?.['threadCpu'] ?? Number.NaN) / 1000;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const wall = (performance.now() - t0) / 1000;
  const cpu = ownCpuSeconds() - cpu0;
  await engine.close();
  const name = `engine alone${source === 'documents' ? ' from documents' : ''}, batch ${batch}`;
  return { name, pages: work.length, wall, cpu, engineCpu, load: loadavg()[0]!, texts };
}

const runs: Run[] = [];
const engineRuns = new Map<number, Awaited<ReturnType<typeof engineAlone>>>();
for (const b of values.batch === 'none' ? [] : values.batch.split(',').map(Number)) {
  log(`engine alone, batch ${b} ...`);
  const r = await engineAlone(b, 'pixels');
  engineRuns.set(b, r);
  runs.push(r);
}
let fromDocuments: Awaited<ReturnType<typeof engineAlone>> | undefined;
if (values.batch !== 'none') {
  log('engine alone from documents, batch 1 ...');
  fromDocuments = await engineAlone(1, 'documents');
  runs.push(fromDocuments);
}
const reference = engineRuns.get(1) ?? [...engineRuns.values()][0] ?? { pages: 0, wall: Number.NaN, cpu: Number.NaN, engineCpu: Number.NaN, texts: new Map<string, string>() };
for (const [b, r] of engineRuns) {
  if (r === reference) continue;
  const same = [...r.texts].filter(([k, t]) => reference.texts.get(k) === t).length;
  r.detail = `same text as batch 1 on ${same}/${r.texts.size} distinct pages`;
  void b;
}

const topologies: Record<string, WorkerSpec[]> = {
  '1': [{ role: 'all stages', env: {} }],
  '2': [
    { role: 'render', env: { WORKER_QUEUES: 'ingest,render,finalize,maintenance' } },
    { role: 'recognize', env: { WORKER_QUEUES: 'recognize' } },
  ],
};
const pipelines: Array<{ procs: string; result: PipelineResult; run: Run }> = [];
for (const procs of values.procs.split(',')) {
  const specs = topologies[procs];
  if (!specs) throw new Error(`--procs: ${procs} is not 1 or 2`);
  log(`pipeline, ${procs} worker process(es) ...`);
  const result = await runPipeline(documents, specs, {}, values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : []);
  const workerCpu = Object.values(result.workerCpu).reduce((a, c) => a + c, 0);
  let same = 0;
  for (const doc of documents) doc.pages.forEach((key, i) => (same += result.texts.get(doc.name)?.[i] === reference.texts.get(key) ? 1 : 0));
  const run: Run = {
    name: `pipeline, ${procs} process${procs === '1' ? '' : 'es'}`,
    pages: result.pages,
    wall: result.wall,
    cpu: workerCpu + result.apiCpu,
    engineCpu: result.engineCpu,
    load: loadavg()[0]!,
    detail: [
      ...Object.entries(result.workerCpu).map(([role, c]) => `${role} ${fmt(c / result.pages, 2)}`),
      `api+s3 ${fmt(result.apiCpu / result.pages, 2)} CPU-s/page`,
      `peak RSS ${Object.entries(result.peakRssMb).map(([role, mb]) => `${role} ${mb.toFixed(0)} MB`).join(', ')}`,
      ...(engineRuns.size > 0 ? [`${same}/${result.pages} pages read as the engine alone reads them`] : []),
      ...(result.failedPages > 0 ? [`${result.failedPages} pages FAILED`] : []),
    ].join('; '),
  };
  pipelines.push({ procs, result, run });
  runs.push(run);
}

const header = ['run', 'pages', 'wall s', 'pages/s', 'CPU s', 'CPU s/page', 'engine CPU s/page', 'engine share', `CPU use of ${cores} cores`, 'load 1m'];
const rows = runs.map((r) => [
  r.name,
  String(r.pages),
  fmt(r.wall, 1),
  fmt(r.pages / r.wall, 3),
  fmt(r.cpu, 1),
  fmt(r.cpu / r.pages, 3),
  fmt(r.engineCpu / r.pages, 3),
  `${fmt((100 * r.engineCpu) / r.cpu, 1)}%`,
  `${((100 * r.cpu) / (r.wall * cores)).toFixed(0)}%`,
  fmt(r.load, 1),
]);
const notes = runs.filter((r) => r.detail).map((r) => `  ${r.name}: ${r.detail}`);
const lines: string[] = [formatTable(header, rows), '', ...notes, ''];
for (const w of warnings) lines.push(w);
lines.push(gpu ? `GPU: ${engineOptions.executionProviders.join(', ')}` : 'GPU: not measured (no GPU execution provider loads on this machine)');
const base = engineRuns.get(1);
for (const [b, r] of engineRuns)
  if (base && b !== 1) lines.push(`batching (engine alone): batch ${b} ${fmt(r.cpu / r.pages, 3)} CPU-s/page vs batch 1 ${fmt(base.cpu / base.pages, 3)} (${fmt(base.cpu / base.pages / (r.cpu / r.pages), 2)}× pages per CPU-s)`);
if (pipelines.length > 0 && engineRuns.size > 0) {
  const split = pipelines.find((p) => p.result.workerCpu['recognize'] !== undefined);
  if (split) {
    // A host that runs only recognize (render elsewhere) next to the engine alone, and where the
    // pipeline's CPU beyond the engines goes, per page.
    const r = split.result;
    const recCpu = r.workerCpu['recognize']!;
    const aloneShare = reference.engineCpu / reference.cpu;
    lines.push(
      `recognize stage (${split.run.name}): engine share ${fmt((100 * r.engineCpu) / recCpu, 1)}% of the recognize process vs ${fmt(100 * aloneShare, 1)}% alone ` +
        `(ratio ${fmt(r.engineCpu / recCpu / aloneShare, 2)}); CPU-s/page beyond the engines: render process ${fmt(r.workerCpu['render']! / r.pages, 3)}, ` +
        `recognize process ${fmt((recCpu - r.engineCpu) / r.pages, 3)}, api+s3 ${fmt(r.apiCpu / r.pages, 3)}`,
    );
  }
  const best = pipelines.reduce((a, p) => (p.run.pages / p.run.wall > a.run.pages / a.run.wall ? p : a));
  const pipeRate = best.run.pages / best.run.wall;
  // CPU-bound, pages/s is proportional to the share of CPU that goes into the engines. Both shares
  // come from one run each (engine threads' CPU over all CPU), so the machine's load, which
  // stretches engine and overhead alike, largely cancels out; wall time does not.
  const share = (r: Run) => r.engineCpu / r.cpu;
  const bestShare = pipelines.reduce((a, p) => (share(p.run) > share(a.run) ? p : a));
  const against = (label: string, alone: Run) =>
    `pipeline ${fmt(pipeRate, 3)} pages/s, ${label} ${fmt(alone.pages / alone.wall, 3)} pages/s, ratio ${fmt(pipeRate / (alone.pages / alone.wall), 2)} ` +
    `(wall, ${best.run.name}; CPU-based: engine share ${fmt(100 * share(bestShare.run), 1)}% of ${bestShare.run.name} vs ${fmt(100 * share(alone), 1)}% alone, ratio ${fmt(share(bestShare.run) / share(alone), 2)})`;
  // Stricter: the engine fed decoded pixels, so rasterizing the PDFs counts as pipeline overhead.
  lines.push(`render excluded: ${against('engine alone on decoded pixels', reference as Run)}`);
  // The target's baseline: the same documents read by the engine alone, rendering included, as `folio ocr` reads them.
  if (fromDocuments) lines.push(`throughput: ${against('engine alone from documents', fromDocuments)}`);
}
process.stdout.write(`\n${lines.join('\n')}\n`);
writeFileSync(path.join(outDir, values.quick ? 'throughput-quick.md' : 'throughput.md'), `${formatTable(header, rows, true)}\n\n${lines.slice(2).join('\n')}\n`);
writeFileSync(
  path.join(outDir, values.quick ? 'throughput-quick.json' : 'throughput.json'),
  JSON.stringify({ documents: documents.length, pages: sequence.length, config: { engines: config.OCR_ENGINE_WORKERS, threads: config.OCR_THREADS }, runs }, null, 2),
);
