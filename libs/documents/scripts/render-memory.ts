/**
 * Renders every page of a big PDF one at a time and prints RSS as it goes, to check that
 * memory stays flat (pages and canvases are released after each render).
 *
 *   npx tsx libs/documents/scripts/render-memory.ts [--pages 500] [--dpi 300] [FILE.pdf]
 *
 * Without FILE it generates a text PDF of `--pages` A4 pages, 45 lines each.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openDocument } from '../src/index.ts';
import { makeTextPdf } from '../src/testing/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { pages: { type: 'string', default: '500' }, dpi: { type: 'string', default: '300' } },
});
const dpi = Number(values.dpi);
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

const file = positionals[0];
const bytes = file
  ? new Uint8Array(await readFile(file))
  : makeTextPdf(
      Array.from({ length: Number(values.pages) }, (_, p) =>
        Array.from({ length: 45 }, (_, l) => `Page ${p + 1}, line ${l + 1}: the quick brown fox jumps over the lazy dog 0123456789.`),
      ),
    );

const doc = await openDocument(bytes);
const start = performance.now();
const cpu0 = process.cpuUsage();
let peak = 0;
const samples: string[] = [];
for (let i = 0; i < doc.pageCount; i++) {
  const raster = await doc.renderPage(i, { dpi });
  if (raster.width === 0) throw new Error('empty raster');
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  if (i === 0 || (i + 1) % Math.max(1, Math.floor(doc.pageCount / 10)) === 0) samples.push(`page ${i + 1}: ${mb(rss)}`);
}
await doc.close();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(samples.join('\n'));
console.log(
  `${doc.pageCount} pages at ${dpi} dpi in ${seconds.toFixed(1)} s (${((seconds * 1000) / doc.pageCount).toFixed(0)} ms/page wall, ` +
    `${(cpuMs / doc.pageCount).toFixed(0)} ms/page CPU); ` +
    `peak RSS ${mb(peak)}; after close ${mb(process.memoryUsage().rss)}`,
);
