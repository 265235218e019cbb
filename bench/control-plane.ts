/**
 * Control-plane throughput: N pages through API → queue → worker → database with the noop
 * recognizer, with 1, 2 and 4 worker processes. Each round uploads the same documents (PDFs of
 * `--pages-per-file` small pages, rendered at a low dpi) through Nanonets LabelFile/Async, all at
 * once, and times the first upload to the last file final. Pages per second = N / that time.
 *
 *   npm run bench:control-plane -- [--pages 200] [--pages-per-file 10] [--workers 1,2,4] [--dpi 72]
 *
 * The noop engine reads one word per page: what is measured is admission, ingest, render
 * scheduling, result writes (one transaction per page), finalization and events, not OCR. On a
 * machine with fewer cores than worker processes, more workers only share the same cores.
 * CPU per page is what the API and worker processes used (Postgres, Redis, S3 not counted).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { makeTextPdf } from '@folio/documents/testing';
import { formatTable } from './lib/table.ts';
import { cpuMsOf, machineNote, startBenchServices } from './lib/services.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '200' },
    'pages-per-file': { type: 'string', default: '10' },
    workers: { type: 'string', default: '1,2,4' },
    dpi: { type: 'string', default: '72' },
    timeout: { type: 'string', default: '600' },
  },
});
const perFile = Number(values['pages-per-file']);
const files = Math.ceil(Number(values.pages) / perFile);
const pages = files * perFile;
const workerCounts = values.workers.split(',').map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`bench:control-plane: ${pages} pages (${files} PDFs × ${perFile}), noop engine, render at ${values.dpi} dpi, workers ${workerCounts.join(', ')}`);
console.log(machineNote());
const pdf = makeTextPdf(Array.from({ length: perFile }, (_, i) => [`Control plane page ${i + 1}`]));

const rows: string[][] = [];
for (const count of workerCounts) {
  // A fresh database, queue prefix and API per round: rounds do not see each other's rows.
  const services = await startBenchServices({ RENDER_DPI: values.dpi, MAX_QUEUED_PAGES: String(pages * 10) });
  try {
    const workers = Array.from({ length: count }, () => services.spawnWorker());
    await services.workersReady(count);
    const cpuBefore = { api: cpuMsOf(services.api.pid), workers: workers.reduce((a, w) => a + cpuMsOf(w.pid), 0) };
    const url = `${services.apiUrl}/api/v2/OCR/Model/${services.dev.modelId}/LabelFile/Async/`;
    const auth = `Basic ${Buffer.from(`${services.dev.apiKey}:`).toString('base64')}`;
    const started = Date.now();
    const ids = await Promise.all(
      Array.from({ length: files }, async () => {
        const form = new FormData();
        form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'cp.pdf');
        const res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth } });
        if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { result: Array<{ request_file_id: string }> }).result[0]!.request_file_id;
      }),
    );
    const acceptedS = (Date.now() - started) / 1000;
    const until = Date.now() + Number(values.timeout) * 1000;
    for (;;) {
      const open = await services.db.prisma.file.count({ where: { id: { in: ids }, status: { in: ['QUEUED', 'PROCESSING'] } } });
      if (open === 0) break;
      if (Date.now() > until) throw new Error(`${open} files still open after ${values.timeout} s`);
      await sleep(100);
    }
    const elapsedS = (Date.now() - started) / 1000;
    const cpu = { api: cpuMsOf(services.api.pid) - cpuBefore.api, workers: workers.reduce((a, w) => a + cpuMsOf(w.pid), 0) - cpuBefore.workers };
    const done = await services.db.prisma.page.count({ where: { fileId: { in: ids }, status: 'DONE' } });
    const predictions = await services.db.prisma.prediction.count({ where: { page: { fileId: { in: ids } } } });
    rows.push([
      String(count),
      String(done),
      predictions === done ? 'yes' : `no (${predictions})`,
      acceptedS.toFixed(1),
      elapsedS.toFixed(1),
      (done / elapsedS).toFixed(1),
      `${(cpu.api / done).toFixed(0)} / ${(cpu.workers / done).toFixed(0)}`,
    ]);
    console.log(`  ${count} worker(s): ${done}/${pages} pages in ${elapsedS.toFixed(1)} s`);
  } finally {
    await services.close();
  }
}
console.log('');
console.log(formatTable(['workers', 'pages done', 'one prediction each', 'all accepted (s)', 'all final (s)', 'pages/s', 'CPU ms/page api / workers'], rows));
if (workerCounts.some((c) => c > availableParallelism())) {
  console.log(`\nnote: ${availableParallelism()} cores here; worker processes beyond that share them with the API, Postgres and Redis.`);
}
