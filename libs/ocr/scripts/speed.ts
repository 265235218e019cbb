/**
 * Dev speed check: pages per CPU-second of the engine on the dev set (rendering excluded), for one
 * configuration per process so peak RSS is per configuration too.
 *
 *   tsx libs/ocr/scripts/speed.ts [--workers N] [--threads T] [--only sroie,funsd] [--opts JSON]
 *
 * workers 0 = one engine in this thread; N ≥ 1 = createEnginePool with N workers, all pages in flight.
 * Rendered pages are cached as raw files under /tmp/folio-speed-cache (reading them is included).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDocument } from '@folio/documents';
import { createEnginePool, createOcrEngine, type EngineOptions, type OcrEngine, type Raster } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '0' },
    threads: { type: 'string', default: '1' },
    only: { type: 'string' },
    opts: { type: 'string', default: '{}' },
    corpus: { type: 'string', default: '/work/shared/eval/dev' },
  },
});
const cache = '/tmp/folio-speed-cache';
mkdirSync(cache, { recursive: true });

async function pages(): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  const only = values.only?.split(',');
  for (const source of readdirSync(values.corpus!).sort()) {
    if (only && !only.some((o) => source.includes(o))) continue;
    const dir = path.join(values.corpus!, source);
    for (const f of readdirSync(dir).sort()) {
      const m = /^(.*)\.p(\d+)\.gt\.txt$/.exec(f);
      const unit = m ? { doc: `${m[1]}.pdf`, page: Number(m[2]), name: `${m[1]}.p${m[2]}` } : /\.(png|jpg|tif)$/.test(f) ? { doc: f, page: 0, name: f } : undefined;
      if (!unit) continue;
      const file = path.join(cache, `${source}__${unit.name}.raw`);
      if (!existsSync(file)) {
        const doc = await openDocument(new Uint8Array(readFileSync(path.join(dir, unit.doc))));
        const r = await doc.renderPage(unit.page, { dpi: 300 });
        await doc.close();
        const header = Buffer.from(JSON.stringify({ width: r.width, height: r.height, channels: r.channels, dpi: r.dpi }).padEnd(256));
        writeFileSync(file, Buffer.concat([header, Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length)]));
      }
      out.push({ name: `${source}/${unit.name}`, file });
    }
  }
  return out;
}

function load(file: string): Raster {
  const buf = readFileSync(file);
  const h = JSON.parse(buf.subarray(0, 256).toString().trim()) as { width: number; height: number; channels: 1 | 3 | 4; dpi: number };
  const data = new Uint8Array(buf.length - 256);
  data.set(buf.subarray(256));
  return { data, ...h };
}

const list = await pages();
const workers = Number(values.workers);
const options: EngineOptions = { threads: Number(values.threads), ...(JSON.parse(values.opts!) as EngineOptions) };
const engine: OcrEngine = workers > 0 ? await createEnginePool({ workers, ...options }) : await createOcrEngine(options);
const c0 = process.cpuUsage();
const t0 = performance.now();
// Pages are read lazily with at most 2 per worker in flight, so RSS reflects the engine, not the set.
const inFlight = Math.max(1, 2 * workers);
let next = 0;
const lane = async () => {
  while (next < list.length) await engine.recognize(load(list[next++]!.file));
};
await Promise.all(Array.from({ length: inFlight }, lane));
const wall = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const cpu = (cu.user + cu.system) / 1e6;
await engine.close();
const rss = process.resourceUsage().maxRSS / 1024;
console.log(
  `pages ${list.length}, workers ${workers}, threads ${options.threads}: cpu ${cpu.toFixed(1)} s (${(cpu / list.length).toFixed(2)} cpu-s/page, ${(list.length / cpu).toFixed(3)} pages per cpu-s), wall ${wall.toFixed(1)} s (${(list.length / wall).toFixed(2)} pages/s), peak rss ${rss.toFixed(0)} MiB`,
);
