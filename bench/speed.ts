/**
 * Throughput of Folio against Tesseract on the same pages: pages per CPU-second and per
 * wall-second with 1 and 2 processes, and peak RSS per process.
 *
 *   npm run bench:speed -- [--rounds 1] [--threads 1] [--procs 1,2] [--dev] [--opts '{}'] [--out bench/out]
 *   npm run bench:speed -- --pdf    born-digital PDFs: text layer (auto) vs force vs pdftotext (bench/speed.pdf.ts)
 *
 * Pages: a dense A4 text page, a till receipt and a form, generated from code and rendered to
 * 300-dpi PNGs (bench/lib/synthetic-pages.ts); `--dev` adds a receipt photo, a scanned form and a
 * born-digital PDF page from the shared eval set, read in place. Each process handles every page
 * `rounds` times. Tesseract runs as `tesseract LIST -` with OMP_THREAD_LIMIT=1 (one process reads
 * all its pages, so its start-up is paid once); Folio runs bench/speed.worker.ts with `--threads`
 * ONNX threads per process (default 1: one core per process, like Tesseract).
 * CPU: Folio from engine creation on (models loading included, Node start-up not);
 * Tesseract the whole process. RSS: peak resident set of the largest process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { encodePng, openDocument } from '@folio/documents';
import { defaultCorpus, findUnits } from './lib/eval-units.ts';
import { requireCommands, runMeasured } from './lib/measure.ts';
import { writeSyntheticPages, type BenchPage } from './lib/synthetic-pages.ts';
import { tesseractEnv } from './lib/tesseract.runner.ts';
import { fmt, formatTable, ratio } from './lib/table.ts';
import type { EnginePaths } from '@folio/ocr';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    procs: { type: 'string', default: '1,2' },
    dev: { type: 'boolean', default: false },
    pdf: { type: 'boolean', default: false },
    opts: { type: 'string', default: '{}' },
    corpus: { type: 'string', default: defaultCorpus() },
    out: { type: 'string', default: path.join(here, 'out') },
  },
});
const rounds = Number(values.rounds);
if (values.pdf) {
  const { pdfSpeed } = await import('./speed.pdf.ts');
  await pdfSpeed({ corpus: path.resolve(values.corpus), out: values.out, threads: Number(values.threads), rounds });
  process.exit(0);
}
const procCounts = values.procs.split(',').map(Number);
const outDir = path.resolve(values.out, 'speed');

await requireCommands({ tesseract: 'tesseract-ocr tesseract-ocr-eng' });

/** A few dev-set pages of each kind, picked by path at run time (never copied into the repo). */
async function devPages(): Promise<BenchPage[]> {
  const units = findUnits(path.resolve(values.corpus));
  const pick = (source: string) => units.find((u) => u.source === source);
  const out: BenchPage[] = [];
  for (const u of [pick('sroie'), pick('funsd'), pick('pdf-py-pdf-samples')]) {
    if (!u) continue;
    if (u.kind === 'image') {
      out.push({ name: `${u.source}/${u.unit}`, file: u.file });
    } else {
      // Render once so both engines get the same 300-dpi pixels; the PNG stays in bench/out.
      const doc = await openDocument(new Uint8Array(await import('node:fs/promises').then((f) => f.readFile(u.file))));
      const file = path.join(outDir, 'pages', `${u.unit}.png`);
      writeFileSync(file, await encodePng(await doc.renderPage(u.page, { dpi: 300 })));
      await doc.close();
      out.push({ name: `${u.source}/${u.unit}`, file });
    }
  }
  return out;
}

interface RunResult {
  pages: number;
  /** Characters of text produced: a sanity check that the engine read something. */
  chars: number;
  cpu: number;
  wall: number;
  maxRssKb: number;
  /** Folio: the CPU and the path each model runs (engine.paths). */
  paths?: EnginePaths | undefined;
}

async function runFolio(files: string[], procs: number): Promise<RunResult> {
  const worker = path.join(here, 'speed.worker.ts');
  const args = ['--import', 'tsx', worker, '--threads', values.threads, '--rounds', String(rounds), '--opts', values.opts, ...files];
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: procs }, () => runMeasured(process.execPath, args)));
  const wall = (performance.now() - t0) / 1000;
  const reports = runs.map((r) => JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as RunResult);
  return {
    pages: reports.reduce((a, r) => a + r.pages, 0),
    chars: reports.reduce((a, r) => a + r.chars, 0),
    cpu: reports.reduce((a, r) => a + r.cpu, 0),
    wall,
    maxRssKb: Math.max(...reports.map((r) => r.maxRssKb)),
    paths: reports[0]?.paths,
  };
}

async function runTesseract(files: string[], procs: number): Promise<RunResult> {
  const list = path.join(outDir, 'tesseract-pages.txt');
  writeFileSync(list, `${Array.from({ length: rounds }, () => files).flat().join('\n')}\n`);
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: procs }, () => runMeasured('tesseract', [list, '-', '-l', 'eng'], tesseractEnv())));
  const wall = (performance.now() - t0) / 1000;
  return {
    pages: procs * files.length * rounds,
    chars: runs.reduce((a, r) => a + r.stdout.replace(/\s+/g, ' ').trim().length, 0),
    cpu: runs.reduce((a, r) => a + r.cpu, 0),
    wall,
    maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
  };
}

mkdirSync(path.join(outDir, 'pages'), { recursive: true });
const pages = [...(await writeSyntheticPages(path.join(outDir, 'pages'))), ...(values.dev ? await devPages() : [])];
const files = pages.map((p) => p.file);
process.stderr.write(`pages: ${pages.map((p) => p.name).join(', ')}; ${rounds} round(s); Folio ${values.threads} thread(s)/process\n`);

const rows: string[][] = [];
const results: Record<string, RunResult> = {};
for (const procs of procCounts) {
  process.stderr.write(`  tesseract × ${procs} ...\n`);
  const t = await runTesseract(files, procs);
  process.stderr.write(`  folio × ${procs} ...\n`);
  const f = await runFolio(files, procs);
  results[`tesseract-${procs}`] = t;
  results[`folio-${procs}`] = f;
  const mb = (kb: number): string => `${(kb / 1024).toFixed(0)}`;
  for (const [name, r] of [['Folio', f], ['Tesseract', t]] as const) {
    rows.push([
      name,
      String(procs),
      String(r.pages),
      String(r.chars),
      fmt(r.cpu, 1),
      fmt(r.wall, 1),
      fmt(r.pages / r.cpu, 3),
      fmt(r.pages / r.wall, 3),
      mb(r.maxRssKb),
    ]);
  }
  rows.push(['Folio/Tess', String(procs), '', '', '', '', ratio(f.pages / f.cpu, t.pages / t.cpu), ratio(f.pages / f.wall, t.pages / t.wall), ratio(f.maxRssKb, t.maxRssKb)]);
}

const header = ['engine', 'procs', 'pages', 'chars', 'CPU s', 'wall s', 'pages/CPU-s', 'pages/wall-s', 'peak RSS MB'];
const paths = Object.values(results).find((r) => r.paths)?.paths;
const pathOf = (c: EnginePaths['detector']) => `${c.path}${c.ms ? ` (probe ms int8 ${fmt(c.ms.int8, 1)} / float ${fmt(c.ms.float, 1)})` : ''}`;
process.stdout.write(`\nCPU: ${paths?.cpu ?? 'unknown'}\nFolio path: detector ${paths ? pathOf(paths.detector) : '?'}, recognizer ${paths ? pathOf(paths.recognizer) : '?'}\n`);
process.stdout.write(`\n${formatTable(header, rows)}\n`);
writeFileSync(path.join(outDir, 'speed.md'), `${formatTable(header, rows, true)}\n`);
writeFileSync(path.join(outDir, 'speed.json'), JSON.stringify({ pages, rounds, threads: Number(values.threads), results }, null, 2));
process.stderr.write(`wrote ${path.join(outDir, 'speed.md')} and speed.json\n`);
