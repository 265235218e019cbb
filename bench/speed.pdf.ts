/**
 * Born-digital PDFs: pages per CPU-second on the dev set's PDF pages, read three ways: as the
 * pipeline reads them by default (`auto`: the text layer where it can be trusted, OCR of image
 * regions and untrusted pages), with OCR forced on every page (`force`), and by `pdftotext` (the
 * limit: text extraction alone, no layout, no trust checks).
 *
 *   npm run bench:speed -- --pdf [--threads 1] [--rounds 1] [--corpus DIR] [--out bench/out]
 *
 * Folio runs in this process, one engine created on the first page that needs OCR (its model
 * loading counted in that mode's CPU), each file opened once (as a render thread keeps it open for
 * its pages), each page read and turned into text (`pageToText`) as `folio ocr` does; CPU is this process's user + system time over each mode. pdftotext runs
 * once per page (`-f N -l N`), its whole process measured.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openDocument } from '@folio/documents';
import { createOcrEngine, pageToText, type OcrEngine } from '@folio/ocr';
import { readPage } from '../apps/cli/src/commands/ocr.read-page.ts';
import { findUnits, type EvalUnit } from './lib/eval-units.ts';
import { requireCommands, runMeasured } from './lib/measure.ts';
import { fmt, formatTable, ratio } from './lib/table.ts';

interface ModeResult {
  pages: number;
  chars: number;
  cpu: number;
  wall: number;
  sources?: Record<string, number>;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function runFolio(units: EvalUnit[], mode: 'auto' | 'force', threads: number, rounds: number): Promise<ModeResult> {
  let engine: Promise<OcrEngine> | undefined;
  const sources: Record<string, number> = {};
  let chars = 0;
  const c0 = cpuNow();
  const t0 = performance.now();
  // Each file opened once per round, as a render thread keeps a document open for its pages.
  const byFile = new Map<string, EvalUnit[]>();
  for (const u of units) byFile.set(u.file, [...(byFile.get(u.file) ?? []), u]);
  for (let r = 0; r < rounds; r++) {
    for (const [file, pages] of byFile) {
      const doc = await openDocument(new Uint8Array(await readFile(file)));
      try {
        for (const u of pages) {
          const page = await readPage(doc, u.page, { dpi: 300, ocr: mode }, () => (engine ??= createOcrEngine({ threads })));
          chars += pageToText(page).replace(/\s+/g, '').length;
          sources[page.source ?? 'ocr'] = (sources[page.source ?? 'ocr'] ?? 0) + 1;
        }
      } finally {
        await doc.close();
      }
    }
  }
  const result = { pages: units.length * rounds, chars, cpu: cpuNow() - c0, wall: (performance.now() - t0) / 1000, sources };
  if (engine) await (await engine).close();
  return result;
}

async function runPdftotext(units: EvalUnit[], rounds: number): Promise<ModeResult> {
  let cpu = 0;
  let chars = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const u of units) {
      const m = await runMeasured('pdftotext', ['-f', String(u.page + 1), '-l', String(u.page + 1), u.file, '-']);
      cpu += m.cpu;
      chars += m.stdout.replace(/\s+/g, '').length;
    }
  }
  return { pages: units.length * rounds, chars, cpu, wall: (performance.now() - t0) / 1000 };
}

export async function pdfSpeed(options: { corpus: string; out: string; threads: number; rounds: number }): Promise<void> {
  await requireCommands({ pdftotext: 'poppler-utils' });
  const units = findUnits(options.corpus).filter((u) => u.kind === 'pdf-page');
  if (units.length === 0) throw new Error(`no PDF pages under ${options.corpus}/dev`);
  process.stderr.write(`${units.length} PDF pages; ${options.rounds} round(s); Folio ${options.threads} thread(s)\n`);
  const results: Record<string, ModeResult> = {};
  process.stderr.write('  pdftotext ...\n');
  results.pdftotext = await runPdftotext(units, options.rounds);
  process.stderr.write('  folio auto ...\n');
  results.auto = await runFolio(units, 'auto', options.threads, options.rounds);
  process.stderr.write('  folio force ...\n');
  results.force = await runFolio(units, 'force', options.threads, options.rounds);
  const rate = (r: ModeResult) => r.pages / r.cpu;
  const rows = (['auto', 'force', 'pdftotext'] as const).map((k) => {
    const r = results[k]!;
    const sources = r.sources ? Object.entries(r.sources).map(([s, n]) => `${s} ${n}`).join(', ') : '';
    return [k, String(r.pages), String(r.chars), fmt(r.cpu, 2), fmt(r.wall, 2), fmt(rate(r), 2), ratio(rate(r), rate(results.force!)), sources];
  });
  const header = ['mode', 'pages', 'chars', 'CPU s', 'wall s', 'pages/CPU-s', '× force', 'page sources'];
  process.stdout.write(`\n${formatTable(header, rows)}\n`);
  const dir = path.resolve(options.out, 'speed');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'speed-pdf.md'), `${formatTable(header, rows, true)}\n`);
  await writeFile(path.join(dir, 'speed-pdf.json'), JSON.stringify({ units: units.length, ...options, results }, null, 2));
  process.stderr.write(`wrote ${path.join(dir, 'speed-pdf.md')} and speed-pdf.json\n`);
}
