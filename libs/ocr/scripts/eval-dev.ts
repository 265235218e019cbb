/**
 * Dev measuring script (not part of the library): OCR every unit of the shared dev set and score it.
 *
 *   tsx libs/ocr/scripts/eval-dev.ts --out /tmp/hyp [--only sroie,funsd] [--opts '{"threads":1}'] [--dpi 300]
 *
 * Writes OUT/dev/<source>/<unit>.txt and OUT/times.tsv (engine CPU seconds per unit), then runs
 * score.py. Uses @folio/documents to render pages, as the CLI does.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openDocument } from '@folio/documents';
import { createOcrEngine, pageToText, type EngineOptions } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/folio-hyp' },
    only: { type: 'string' },
    opts: { type: 'string', default: '{}' },
    dpi: { type: 'string', default: '300' },
    corpus: { type: 'string', default: '/work/shared/eval' },
  },
});
const corpus = values.corpus!;
const outDir = values.out!;
const only = values.only?.split(',');
const dpi = Number(values.dpi);
const opts = JSON.parse(values.opts!) as EngineOptions;
const engine = await createOcrEngine({ threads: 1, measureCpu: true, ...opts });

interface Unit {
  source: string;
  unit: string;
  file: string;
  page: number;
}
const units: Unit[] = [];
for (const source of readdirSync(path.join(corpus, 'dev')).sort()) {
  if (only && !only.some((o) => source.includes(o))) continue;
  const dir = path.join(corpus, 'dev', source);
  for (const f of readdirSync(dir).sort()) {
    const m = /^(.*)\.p(\d+)\.gt\.txt$/.exec(f);
    if (m) units.push({ source, unit: `${m[1]}.p${m[2]}`, file: path.join(dir, `${m[1]}.pdf`), page: Number(m[2]) });
    else if (/\.(png|jpg|jpeg|tif|tiff)$/i.test(f)) units.push({ source, unit: f.replace(/\.[^.]+$/, ''), file: path.join(dir, f), page: 0 });
  }
}

const rows = ['set\tsource\tunit\tseconds\twall_seconds\trender_seconds\tdet_cpu_ms\trec_cpu_ms\tcls_cpu_ms\tlayout_cpu_ms\tlines'];
let cpuTotal = 0;
let peakRss = 0;
for (const u of units) {
  const r0 = performance.now();
  const doc = await openDocument(new Uint8Array(readFileSync(u.file)));
  const raster = await doc.renderPage(u.page, { dpi });
  await doc.close();
  const render = (performance.now() - r0) / 1000;
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const page = await engine.recognize(raster);
  const wall = (performance.now() - w0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  cpuTotal += cpu;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const text = pageToText(page);
  mkdirSync(path.join(outDir, 'dev', u.source), { recursive: true });
  writeFileSync(path.join(outDir, 'dev', u.source, `${u.unit}.txt`), `${text}\n`);
  const t = page.timings ?? {};
  const det = (t.detPreCpu ?? 0) + (t.detModelCpu ?? 0) + (t.detPostCpu ?? 0);
  const rec = (t.recPreCpu ?? 0) + (t.recModelCpu ?? 0) + (t.recPostCpu ?? 0);
  const lines = page.blocks.reduce((a, b) => a + b.lines.length, 0);
  rows.push(`dev\t${u.source}\t${u.unit}\t${cpu.toFixed(3)}\t${wall.toFixed(3)}\t${render.toFixed(3)}\t${det.toFixed(0)}\t${rec.toFixed(0)}\t${(t.directionCpu ?? 0).toFixed(0)}\t${(t.layoutCpu ?? 0).toFixed(0)}\t${lines}`);
  process.stderr.write(`${u.source}/${u.unit}: cpu ${cpu.toFixed(2)} s, wall ${wall.toFixed(2)} s, det ${det.toFixed(0)} rec ${rec.toFixed(0)} ms, rot ${page.rotation}\n`);
}
await engine.close();
writeFileSync(path.join(outDir, 'times.tsv'), `${rows.join('\n')}\n`);
process.stderr.write(`units ${units.length}, engine cpu ${cpuTotal.toFixed(1)} s (${(cpuTotal / units.length).toFixed(2)} s/unit), peak rss ${(peakRss / 2 ** 20).toFixed(0)} MiB\n`);
const scoreArgs = [path.join(corpus, 'score.py'), '--hyp-dir', outDir, '--corpus', corpus, '--times', path.join(outDir, 'times.tsv')];
process.stdout.write(execFileSync('python3', scoreArgs, { encoding: 'utf8' }));
