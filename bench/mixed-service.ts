/**
 * Mixed pages through the service: render + recognize CPU and wall for a generated PDF whose
 * pages each hold a text layer and an embedded image of text (read as `mixed`), end to end
 * through the API, the render worker (its render child processes) and recognize.
 *
 *   npx tsx bench/mixed-service.ts [--pages 6] [--rounds 3]
 *
 * One stack (Postgres, Redis, S3 server, API and worker in this process) serves every round; a
 * warm-up file first loads the engine and starts the render process, so rounds measure pages only.
 * CPU is this process's user + system time (API, worker, engine threads, S3 server) plus that of
 * its child processes (the render children) over each round, read from /proc. `renderMs` and
 * `recognizeMs` are the stages' job times (BullMQ processedOn → finishedOn) summed over the pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writePdf, makeTextRaster, type PdfPage } from '@folio/documents/testing';
import { createQueues, createRedisConnection, jobId, type QueueName } from '@folio/queue';
import { fileWhenFinal, startStack } from '../test/support/stack.ts';
import { ownCpuSeconds, parentPid, processCpuSeconds } from './lib/proc-stat.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const pageCount = opt('pages', 6);
const rounds = opt('rounds', 3);

/** CPU seconds of this process and of its children still running (utime + stime). */
function treeCpu(pid: number): number {
  let total = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === pid) continue;
    try {
      if (parentPid(Number(p)) === pid) total += processCpuSeconds(Number(p));
    } catch {
      // gone
    }
  }
  return total + ownCpuSeconds();
}

function mixedPdf(pages: number): Uint8Array {
  const out: PdfPage[] = [];
  for (let p = 0; p < pages; p++) {
    const texts = Array.from({ length: 25 }, (_, i) => ({ text: `Section ${p + 1}.${i + 1}: the quarterly figures are read from the text layer`, x: 72, y: 90 + i * 16 }));
    const figure = makeTextRaster([`Figure ${p + 1}: revenue ${2020 + p}`, `Total ${1000 + 37 * p} EUR`], { fontSize: 32 });
    out.push({ texts, images: [{ x: 72, y: 520, width: 300, height: 90, raster: figure }] });
  }
  return writePdf(out);
}

const stack = await startStack();
const redis = createRedisConnection(stack.env.REDIS_URL!);
const queues = createQueues({ connection: redis, prefix: stack.env.QUEUE_PREFIX! });
/** Milliseconds the stage's jobs of these pages ran, summed. */
async function stageMs(name: QueueName, pageIds: string[]): Promise<number> {
  let total = 0;
  for (const id of pageIds) {
    const job = await queues.queue(name).getJob(jobId(name, id));
    if (job?.processedOn && job.finishedOn) total += job.finishedOn - job.processedOn;
  }
  return total;
}
try {
  await stack.startWorker();
  const post = async (pdf: Uint8Array): Promise<string> => {
    const form = new FormData();
    form.append('purpose', 'ocr');
    form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'mixed.pdf');
    const up = await fetch(`${stack.api.url}/v1/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${stack.dev.apiKey}` } });
    const { id } = (await up.json()) as { id: string };
    const res = await fetch(`${stack.api.url}/v1/files/${id}/ocr`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.dev.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    if (res.status !== 200 && res.status !== 202) throw new Error(`ocr ${res.status}: ${await res.text()}`);
    await fileWhenFinal(stack, id, 600_000);
    return id;
  };
  await post(mixedPdf(1));
  const pdf = mixedPdf(pageCount);
  for (let r = 0; r < rounds; r++) {
    const c0 = treeCpu(process.pid);
    const t0 = performance.now();
    const id = await post(pdf);
    const wall = (performance.now() - t0) / 1000;
    const cpu = treeCpu(process.pid) - c0;
    const pages = await stack.db.pages.listByFile(id);
    const sources = pages.map((p) => (p.result as { source?: string } | null)?.source ?? '?');
    const ids = pages.map((p) => p.id);
    const renderMs = await stageMs('render', ids);
    const recognizeMs = await stageMs('recognize', ids);
    const stored = pages.map((p) => (p.imageKey ? 'png' : '-')).join('');
    const words = pages.flatMap((p) => ((p.result as { blocks: Array<{ lines: Array<{ text: string }> }> }).blocks ?? []).flatMap((b) => b.lines.map((l) => l.text))).join(' ');
    console.log(
      JSON.stringify({ round: r, pages: pageCount, cpu: +cpu.toFixed(2), wall: +wall.toFixed(2), cpuPerPage: +(cpu / pageCount).toFixed(3), renderMs, recognizeMs, sources: [...new Set(sources)], pageImages: stored, figures: (words.match(/Figure \d/g) ?? []).length, load: readFileSync('/proc/loadavg', 'utf8').trim() }),
    );
  }
} finally {
  await queues.close();
  redis.disconnect();
  await stack.close();
}
