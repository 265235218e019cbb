/**
 * One Folio process of the speed benchmark (spawned by bench/speed.ts, not run by hand):
 *   tsx bench/speed.worker.ts --threads 1 --rounds 2 PAGE.png...
 * Creates an engine, recognizes every page `rounds` times (PNG decode included, as Tesseract
 * reads its PNG) and prints one JSON line: pages, CPU and wall seconds from engine creation
 * on (process start-up and TypeScript loading excluded), peak RSS, and the CPU with the numeric
 * path (int8 or float) the engine chose for each model.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeImage } from '@folio/documents';
import { createOcrEngine, pageToText, type EngineOptions } from '@folio/ocr';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { threads: { type: 'string', default: '1' }, rounds: { type: 'string', default: '1' }, opts: { type: 'string', default: '{}' } },
});

const c0 = process.cpuUsage();
const t0 = performance.now();
const engine = await createOcrEngine({ threads: Number(values.threads), ...(JSON.parse(values.opts) as EngineOptions) });
const loadCpu = process.cpuUsage(c0);
let pages = 0;
let chars = 0;
for (let r = 0; r < Number(values.rounds); r++) {
  for (const file of positionals) {
    const raster = await decodeImage(new Uint8Array(await readFile(file)));
    chars += pageToText(await engine.recognize(raster)).replace(/\s+/g, ' ').trim().length;
    pages++;
  }
}
await engine.close();
const cpu = process.cpuUsage(c0);
process.stdout.write(
  `${JSON.stringify({
    pages,
    chars,
    cpu: (cpu.user + cpu.system) / 1e6,
    loadCpu: (loadCpu.user + loadCpu.system) / 1e6,
    wall: (performance.now() - t0) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    paths: engine.paths,
  })}\n`,
);
