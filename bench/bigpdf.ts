/**
 * One big PDF through the pipeline: a generated PDF (500 pages by default, padded to ~100 KB a
 * page so the upload is large) is uploaded to the API and processed by one worker process with
 * real rendering (RENDER_DPI, default 300) and the noop engine (OCR cost is not the point).
 * The resident memory of the worker and the API is sampled from /proc every 250 ms.
 *
 *   npm run bench:bigpdf -- [--pages 500] [--page-kb 100] [--dpi 300]
 *
 * Targets: worker RSS below 1.5 GB throughout; API RSS flat across the upload (the body is
 * streamed to S3, never held whole).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { writePdf, type PdfPage } from '@folio/documents/testing';
import { formatTable } from './lib/table.ts';
import { machineNote, mib, rssOf, startBenchServices } from './lib/services.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '500' },
    'page-kb': { type: 'string', default: '100' },
    dpi: { type: 'string', default: '300' },
    timeout: { type: 'string', default: '1800' },
  },
});
const pages = Number(values.pages);
const padBytes = Number(values['page-kb']) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A text page padded with a content-stream comment of random (incompressible) characters. */
function page(n: number): PdfPage {
  const pad = randomBytes(Math.ceil(padBytes * 0.75)).toString('base64').replace(/.{1,1000}/g, '% $&\n');
  return {
    texts: [
      { text: `Big PDF page ${n}`, x: 72, y: 96, size: 18 },
      { text: 'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.', x: 72, y: 130, size: 11 },
    ],
    rawContent: pad,
  };
}

console.log(`bench:bigpdf: ${pages} pages, render at ${values.dpi} dpi, engine noop; ${machineNote()}`);
const pdf = writePdf(Array.from({ length: pages }, (_, i) => page(i + 1)));
console.log(`generated PDF: ${(pdf.length / 1024 / 1024).toFixed(1)} MiB`);

const services = await startBenchServices({ RENDER_DPI: values.dpi, MAX_UPLOAD_BYTES: String(512 * 1024 * 1024), MAX_PAGES: String(Math.max(2000, pages)) });
try {
  const worker = services.spawnWorker();
  await services.workersReady(1);
  // Warm-up: a 1-page upload first, so module loading and JIT are not counted as upload memory.
  const warm = new FormData();
  warm.append('file', new Blob([Buffer.from(writePdf([page(0)]))], { type: 'application/pdf' }), 'warm.pdf');
  const auth = { authorization: `Basic ${Buffer.from(`${services.dev.apiKey}:`).toString('base64')}` };
  const warmed = await fetch(`${services.apiUrl}/api/v2/OCR/Model/${services.dev.modelId}/LabelFile/Async/`, { method: 'POST', body: warm, headers: auth });
  if (warmed.status !== 200) throw new Error(`warm-up upload answered ${warmed.status}`);
  await sleep(3_000);
  const samples: Array<{ t: number; api: number; worker: number }> = [];
  const t0 = Date.now();
  const sample = () => samples.push({ t: Date.now() - t0, api: rssOf(services.api.pid), worker: rssOf(worker.pid) });
  sample();
  const apiBefore = samples[0]!.api;
  const workerBefore = samples[0]!.worker;
  const sampler = setInterval(sample, 250);

  const form = new FormData();
  form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'big.pdf');
  const uploadStart = Date.now();
  const res = await fetch(`${services.apiUrl}/api/v2/OCR/Model/${services.dev.modelId}/LabelFile/Async/`, {
    method: 'POST',
    body: form,
    headers: auth,
  });
  const uploadS = (Date.now() - uploadStart) / 1000;
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  const id = ((await res.json()) as { result: Array<{ request_file_id: string }> }).result[0]!.request_file_id;
  const apiAfterUpload = rssOf(services.api.pid);
  console.log(`uploaded in ${uploadS.toFixed(1)} s; processing...`);

  const until = Date.now() + Number(values.timeout) * 1000;
  let status = 'QUEUED';
  let lastReport = 0;
  while (Date.now() < until) {
    const file = await services.db.files.findById(id);
    status = file?.status ?? 'gone';
    if (['COMPLETE', 'PARTIAL', 'FAILED', 'gone'].includes(status)) break;
    if (Date.now() - lastReport > 15_000) {
      const done = await services.db.prisma.page.count({ where: { fileId: id, status: { in: ['DONE', 'FAILED'] } } });
      const last = samples.at(-1)!;
      console.log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${done}/${pages} pages, worker ${mib(last.worker)}, api ${mib(last.api)}`);
      lastReport = Date.now();
    }
    if (worker.exitCode !== null || worker.signalCode !== null) throw new Error(`the worker died (${worker.exitCode ?? worker.signalCode})`);
    await sleep(500);
  }
  const totalS = (Date.now() - uploadStart) / 1000;
  await sleep(3_000);
  clearInterval(sampler);
  sample();
  const apiAfter = samples.at(-1)!.api;
  const maxWorker = Math.max(...samples.map((s) => s.worker));
  const maxApi = Math.max(...samples.map((s) => s.api));
  const done = await services.db.prisma.page.count({ where: { fileId: id, status: 'DONE' } });

  console.log('');
  console.log(
    formatTable(
      ['figure', 'value'],
      [
        ['file status', `${status} (${done}/${pages} pages DONE)`],
        ['PDF size', `${(pdf.length / 1024 / 1024).toFixed(1)} MiB`],
        ['upload (s)', uploadS.toFixed(1)],
        ['upload to final (s)', totalS.toFixed(1)],
        ['pages per second', (pages / totalS).toFixed(2)],
        ['worker RSS idle / max', `${mib(workerBefore)} / ${mib(maxWorker)}`],
        ['API RSS before / right after upload / max / after', `${mib(apiBefore)} / ${mib(apiAfterUpload)} / ${mib(maxApi)} / ${mib(apiAfter)}`],
        ['RSS samples (every 250 ms)', String(samples.length)],
      ],
    ),
  );
  const ok = status === 'COMPLETE' && maxWorker < 1.5 * 1024 ** 3;
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: file complete, worker max RSS < 1.5 GB (API growth during upload: ${mib(maxApi - apiBefore)})`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await services.close();
}
