/**
 * Load: N concurrent clients upload for a while against the API and worker processes, with
 * MAX_QUEUED_PAGES low enough that the API sheds load with 429s. Reports 5xx (target: none),
 * lost files (accepted but never final; target: none), 429s and whether each carried Retry-After,
 * and accept latency (p50/p99 of the 200s: upload, store, ingest).
 *
 *   npm run bench:load -- [--clients 50] [--duration 120] [--quick] [--max-queued-pages 40] [--workers 1] [--dpi 100]
 *
 * `--quick` is 20 s. The engine is `noop` (every page reads as one word) and pages render at a
 * low dpi, so the 2 cores of a small machine serve the control plane (API, queue, database,
 * storage) rather than OCR: this measures admission and bookkeeping, not recognition.
 * Clients upload a 1-page PDF to Nanonets LabelFile/Async; on 429 they wait Retry-After
 * (capped at 1 s, jittered) and try again, as a well-behaved client would.
 */
import { parseArgs } from 'node:util';
import { makeTextPdf } from '@folio/documents/testing';
import { formatTable } from './lib/table.ts';
import { machineNote, percentile, startBenchServices } from './lib/services.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '120' },
    quick: { type: 'boolean', default: false },
    'max-queued-pages': { type: 'string', default: '40' },
    workers: { type: 'string', default: '1' },
    dpi: { type: 'string', default: '100' },
    'drain-timeout': { type: 'string', default: '180' },
  },
});
const clients = Number(values.clients);
const durationS = values.quick ? 20 : Number(values.duration);
const maxQueued = Number(values['max-queued-pages']);
const workers = Number(values.workers);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`bench:load: ${clients} clients for ${durationS} s, MAX_QUEUED_PAGES=${maxQueued}, ${workers} worker process(es)`);
console.log(`engine: noop (control plane only: API, queue, Postgres, S3); render at ${values.dpi} dpi; ${machineNote()}`);

const services = await startBenchServices({ MAX_QUEUED_PAGES: String(maxQueued), RENDER_DPI: values.dpi });
try {
  for (let i = 0; i < workers; i++) services.spawnWorker();
  await services.workersReady(workers);
  const pdf = makeTextPdf([['Load test page', 'The quick brown fox jumps over the lazy dog']]);
  const url = `${services.apiUrl}/api/v2/OCR/Model/${services.dev.modelId}/LabelFile/Async/`;
  const auth = `Basic ${Buffer.from(`${services.dev.apiKey}:`).toString('base64')}`;

  const accepted: string[] = [];
  const acceptMs: number[] = [];
  const counts = { requests: 0, ok: 0, tooMany: 0, tooManyWithRetryAfter: 0, serverErrors: 0, otherClientErrors: 0, networkErrors: 0 };
  const samples: string[] = [];
  const end = Date.now() + durationS * 1000;

  async function client(): Promise<void> {
    while (Date.now() < end) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'load.pdf');
      const started = performance.now();
      counts.requests++;
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', body: form, headers: { authorization: auth }, signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        counts.networkErrors++;
        if (samples.length < 5) samples.push(`network: ${err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err)}`);
        continue;
      }
      const body = await res.text();
      if (res.status === 200) {
        counts.ok++;
        acceptMs.push(performance.now() - started);
        const id = (JSON.parse(body) as { result: Array<{ request_file_id: string }> }).result[0]?.request_file_id;
        if (id) accepted.push(id);
      } else if (res.status === 429) {
        counts.tooMany++;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (retryAfter > 0) counts.tooManyWithRetryAfter++;
        await sleep(Math.min(retryAfter > 0 ? retryAfter * 1000 : 1000, 1000) * (0.5 + Math.random()));
      } else if (res.status >= 500) {
        counts.serverErrors++;
        if (samples.length < 5) samples.push(`${res.status}: ${body.slice(0, 200)}`);
      } else {
        counts.otherClientErrors++;
        if (samples.length < 5) samples.push(`${res.status}: ${body.slice(0, 200)}`);
      }
    }
  }

  const t0 = Date.now();
  await Promise.all(Array.from({ length: clients }, client));
  const sendS = (Date.now() - t0) / 1000;

  // Every accepted file must reach a final state: nothing lost to the load.
  const drainStart = Date.now();
  const drainUntil = drainStart + Number(values['drain-timeout']) * 1000;
  let pending = accepted.length;
  while (Date.now() < drainUntil) {
    pending = await services.db.prisma.file.count({ where: { id: { in: accepted }, status: { in: ['QUEUED', 'PROCESSING'] } } });
    if (pending === 0) break;
    await sleep(500);
  }
  const drainS = (Date.now() - drainStart) / 1000;
  const rows = await services.db.prisma.file.groupBy({ by: ['status'], where: { id: { in: accepted } }, _count: { _all: true } });
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  const missing = accepted.length - rows.reduce((a, r) => a + r._count._all, 0);

  console.log('');
  console.log(
    formatTable(
      ['figure', 'value'],
      [
        ['requests', String(counts.requests)],
        ['accepted (200)', String(counts.ok)],
        ['accepted per second', (counts.ok / sendS).toFixed(1)],
        ['429 (of which with Retry-After)', `${counts.tooMany} (${counts.tooManyWithRetryAfter})`],
        ['5xx', String(counts.serverErrors)],
        ['other 4xx', String(counts.otherClientErrors)],
        ['network errors', String(counts.networkErrors)],
        ['accept latency p50 (ms)', percentile(acceptMs, 50).toFixed(0)],
        ['accept latency p99 (ms)', percentile(acceptMs, 99).toFixed(0)],
        ['accepted files final', `${accepted.length - pending - missing} of ${accepted.length} (${JSON.stringify(byStatus)})`],
        ['lost files (not final after drain, or no row)', String(pending + missing)],
        ['drain after the last request (s)', drainS.toFixed(1)],
      ],
    ),
  );
  if (samples.length > 0) console.log(`\nsamples of failures:\n  ${samples.join('\n  ')}`);
  const verdict = counts.serverErrors === 0 && pending + missing === 0 && counts.tooMany === counts.tooManyWithRetryAfter;
  console.log(`\n${verdict ? 'PASS' : 'FAIL'}: zero 5xx, zero lost files, every 429 with Retry-After`);
  process.exitCode = verdict ? 0 : 1;
} finally {
  await services.close();
}
