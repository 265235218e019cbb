/**
 * Where an engine's CPU goes, per stage, on the speed benchmark's pages (bench:speed's synthetic
 * pages, written to bench/out/speed/pages by it): model loading, then each page's stage CPU.
 *
 *   npx tsx bench/profile.engine.ts [--threads 1] [--opts '{}'] [PAGE.png...]
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '@folio/documents';
import { createOcrEngine, pageToText, type EngineOptions } from '@folio/ocr';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { threads: { type: 'string', default: '1' }, opts: { type: 'string', default: '{}' } },
});
const dir = path.join(here, 'out', 'speed', 'pages');
const files = positionals.length > 0 ? positionals : readdirSync(dir).filter((f) => f.endsWith('.png')).map((f) => path.join(dir, f));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const c0 = cpu();
const engine = await createOcrEngine({ threads: Number(values.threads), measureCpu: true, ...(JSON.parse(values.opts) as EngineOptions) });
process.stdout.write(`engine load: ${(cpu() - c0).toFixed(2)} CPU-s; paths ${JSON.stringify(engine.paths)}\n`);
let total = 0;
for (const file of files) {
  const c1 = cpu();
  const raster = await decodeImage(new Uint8Array(await readFile(file)));
  const decode = cpu() - c1;
  const page = await engine.recognize(raster);
  const all = cpu() - c1;
  total += all;
  const t = page.timings ?? {};
  const stages = Object.entries(t)
    .filter(([k]) => k.endsWith('Cpu'))
    .map(([k, v]) => `${k.replace(/Cpu$/, '')} ${(v / 1000).toFixed(2)}`)
    .join(', ');
  const lines = page.blocks.reduce((a, b) => a + b.lines.length, 0);
  process.stdout.write(`${path.basename(file)} ${raster.width}x${raster.height}: ${all.toFixed(2)} CPU-s (decode ${decode.toFixed(2)}; ${stages}); ${lines} lines, ${pageToText(page).length} chars, rotation ${page.rotation}\n`);
}
process.stdout.write(`pages total ${total.toFixed(2)} CPU-s, all ${(cpu() - c0).toFixed(2)} CPU-s\n`);
await engine.close();
