/**
 * Field extraction on SROIE receipts, through the real API and workers:
 *
 *   npm run bench:extraction -- [--n 20,100] [--splits 3] [--held 0] [--workers 1] [--corpus ../shared/extraction/sroie]
 *
 * For each N and split: creates a model (company, date, address, total), uploads N receipts with
 * their Nanonets annotations, trains, then reads the other receipts with LabelFile and scores the
 * fields against SROIE's keys (company and address: upper-case letters and digits equal; date:
 * digits equal; total: amounts equal). The floor is a keyword-and-regex extractor written here,
 * run on the same receipts' full text (the engine's lines, via `/v1/files/{id}/ocr`).
 * `--corpus` defaults to FOLIO_EXTRACTION_DIR, else ../shared/extraction/sroie beside the repository.
 * Prints per-field and micro precision/recall/F1, training seconds and LabelFile p50 latency.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readReceipts } from './lib/sroie.corpus.ts';
import { machineNote, percentile, startBenchServices } from './lib/services.ts';
import { FIELDS, addScore as add, emptyScore, keywordExtractor, scoreTable as table, shuffled, type Fields } from './lib/sroie.score.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20,100' },
    splits: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    /** Held-out receipts read per split (0 = all the others). */
    held: { type: 'string', default: '0' },
    corpus: { type: 'string', default: process.env.FOLIO_EXTRACTION_DIR ?? path.resolve(here, '../../shared/extraction/sroie') },
  },
});

const corpus = values.corpus;
const receipts = readReceipts(corpus);


console.log(machineNote());
// The real engine: bench services default to the no-op one.
const services = await startBenchServices({ OCR_ENGINE: 'onnx' });
const workers = Number(values.workers);
for (let i = 0; i < workers; i++) services.spawnWorker();
await services.workersReady(workers);
const base = `${services.apiUrl}/api/v2`;
const auth = `Basic ${Buffer.from(`${services.dev.apiKey}:`).toString('base64')}`;
const json = async <T>(url: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(url, { ...init, headers: { authorization: auth, ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  for (const n of values.n.split(',').map(Number)) {
    const learned = emptyScore();
    const floor = emptyScore();
    const trainSeconds: number[] = [];
    const latencies: number[] = [];
    for (let split = 0; split < Number(values.splits); split++) {
      const order = shuffled(receipts, 1000 + split);
      const train = order.slice(0, n);
      const test = order.slice(n, Number(values.held) > 0 ? n + Number(values.held) : undefined);
      const model = await json<{ model_id: string }>(`${base}/OCR/Model/`, { method: 'POST', body: JSON.stringify({ categories: FIELDS, model_type: 'ocr' }) });
      // Uploads of 10 images at a time keep each request small.
      for (let i = 0; i < train.length; i += 10) {
        const form = new FormData();
        const chunk = train.slice(i, i + 10);
        for (const r of chunk) form.append('file', new Blob([r.image], { type: 'image/jpeg' }), `${r.id}.jpg`);
        form.append('data', JSON.stringify(chunk.map((r) => r.annotation)));
        await json(`${base}/OCR/Model/${model.model_id}/UploadFile/`, { method: 'POST', body: form });
      }
      const started = Date.now();
      await json(`${base}/OCR/Model/${model.model_id}/Train/`, { method: 'POST', body: '{}' });
      for (;;) {
        await sleep(1000);
        const m = await json<{ status: string; training_runs: Array<{ state: string; message: string | null }> }>(`${base}/OCR/Model/${model.model_id}`);
        if (m.status === 'trained') break;
        if (m.status === 'failed' || m.training_runs[0]?.state === 'failed') throw new Error(`training failed: ${m.training_runs[0]?.message}`);
      }
      trainSeconds.push((Date.now() - started) / 1000);
      for (const r of test) {
        const form = new FormData();
        form.append('file', new Blob([r.image], { type: 'image/jpeg' }), `${r.id}.jpg`);
        const t0 = performance.now();
        const res = await json<{ result: Array<{ request_file_id: string; prediction: Array<{ label: string; ocr_text: string }> }> }>(`${base}/OCR/Model/${model.model_id}/LabelFile/`, { method: 'POST', body: form });
        latencies.push(performance.now() - t0);
        const page = res.result[0];
        const fields: Fields = {};
        for (const f of FIELDS) {
          const p = page?.prediction.find((x) => x.label === f);
          if (p) fields[f] = p.ocr_text.replace(/\n/g, ' ');
        }
        add(learned, fields, r.key);
        const ocr = await fetch(`${services.apiUrl}/v1/files/${page?.request_file_id}/ocr`, { method: 'POST', headers: { authorization: `Bearer ${services.dev.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
        const text = ((await ocr.json()) as { pages?: Array<{ markdown: string }> }).pages?.map((p) => p.markdown).join('\n') ?? '';
        add(floor, keywordExtractor(text.split('\n').map((l) => l.trim()).filter(Boolean)), r.key);
      }
      console.log(`N=${n} split ${split}: trained in ${trainSeconds[trainSeconds.length - 1]?.toFixed(1)} s, ${test.length} receipts read`);
    }
    console.log(`\n### N = ${n} training receipts, ${values.splits} splits (held-out receipts scored)\n`);
    console.log(table('learned model', learned));
    console.log('');
    console.log(table('keyword + regex floor', floor));
    console.log(`\ntraining s (upload done → trained, incl. OCR): ${trainSeconds.map((s) => s.toFixed(1)).join(', ')}; LabelFile p50 ${percentile(latencies, 50).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms`);
  }
} finally {
  await services.close();
}
