/**
 * Accuracy of Folio against Tesseract on the shared evaluation set.
 *
 *   npm run bench:accuracy -- [--source sroie,funsd] [--limit N] [--engines folio,folio-auto,folio-wrapped,tesseract]
 *                             [--dpi 300] [--tess-dpi 200] [--threads 1] [--opts '{"detMaxSide":1760}']
 *                             [--set dev] [--corpus DIR] [--out bench/out]
 *
 * Each engine's text goes to <out>/<engine>/<set>/<source>/<unit>.txt with its timings in
 * <out>/<engine>/times.tsv; both are scored by the corpus's score.py and printed side by side,
 * one table per source and a summary (macro = unweighted mean over units, as score.py).
 * An engine left out of --engines is scored from its previous outputs, so Folio can be
 * re-run alone while Tesseract's numbers stay. Folio runs 1 ONNX thread by default, as workers do
 * (OCR_THREADS) and as Tesseract runs (OMP_THREAD_LIMIT=1), so CPU seconds per unit compare like
 * for like; 2 threads cut wall time for ~40% more CPU.
 * `folio` OCRs every page (force); `folio-auto` reads PDF units as the pipeline does by default
 * (text layer when it can be trusted, OCR of image regions and untrusted pages) and runs on PDF units
 * only; the last table sets them side by side per PDF source (CER, bow F1, CPU s).
 * `folio-wrapped` wraps each image unit in a one-page PDF (the image covering the page, no text, as
 * a scanner writes it) and reads it as PDFs are read by default: a scan in a PDF must read as the
 * image does (compare with `folio`).
 * Needs python3, and for Tesseract: apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { EngineOptions } from '@folio/ocr';
import { defaultCorpus, findUnits, selectUnits, type EvalUnit } from './lib/eval-units.ts';
import { createFolioRunner, type UnitResult } from './lib/folio.runner.ts';
import { runTesseract, TESSERACT_COMMANDS } from './lib/tesseract.runner.ts';
import { HypothesisStore } from './lib/hypotheses.ts';
import { RecallStore } from './lib/det-recall.ts';
import { requireCommands } from './lib/measure.ts';
import { scoreHypotheses, summarise, type Metric, type ScoredUnit, type Summary } from './lib/score.ts';
import { fmt, formatTable, ratio } from './lib/table.ts';
import { nonAsciiRecall, pooledRecall } from './lib/char-recall.ts';

const ENGINES = ['folio', 'folio-auto', 'folio-wrapped', 'tesseract'] as const;
type Engine = (typeof ENGINES)[number];

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    limit: { type: 'string' },
    engines: { type: 'string', default: ENGINES.join(',') },
    dpi: { type: 'string', default: '300' },
    'tess-dpi': { type: 'string', default: '200' },
    threads: { type: 'string', default: '1' },
    opts: { type: 'string', default: '{}' },
    set: { type: 'string', default: 'dev' },
    corpus: { type: 'string', default: defaultCorpus() },
    out: { type: 'string', default: path.join(path.dirname(fileURLToPath(import.meta.url)), 'out') },
  },
});

const corpus = path.resolve(values.corpus);
const outDir = path.resolve(values.out);
const toRun = values.engines.split(',').map((e) => e.trim()) as Engine[];
for (const e of toRun) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; use ${ENGINES.join(',')}`);

const units = selectUnits(
  findUnits(corpus, values.set),
  values.source?.split(',').map((s) => s.trim()),
  values.limit === undefined ? undefined : Number(values.limit),
);
if (units.length === 0) throw new Error('no units selected');
const stores = Object.fromEntries(ENGINES.map((e) => [e, new HypothesisStore(path.join(outDir, e))])) as Record<Engine, HypothesisStore>;
/** Folio's detection recall against the gt.json boxes (Tesseract's text runner reports no boxes). */
const recalls = new RecallStore(path.join(outDir, 'folio'));

const isPdfUnit = (u: EvalUnit): boolean => u.file.toLowerCase().endsWith('.pdf');

async function runEngine(engine: Engine, run: (u: EvalUnit) => Promise<UnitResult>, only: (u: EvalUnit) => boolean = () => true): Promise<void> {
  let i = 0;
  for (const unit of units.filter(only)) {
    i++;
    let result: UnitResult;
    try {
      result = await run(unit);
    } catch (err) {
      // A failed unit scores as empty output rather than stopping the run.
      process.stderr.write(`  ${engine} ${unit.source}/${unit.unit}: FAILED ${err instanceof Error ? err.message : String(err)}\n`);
      result = { text: '', wall: Number.NaN, cpu: Number.NaN };
    }
    stores[engine].put(unit, result.text, result.wall, result.cpu);
    if (engine === 'folio') recalls.put(unit, result.recall);
    process.stderr.write(`  ${engine} [${i}/${units.length}] ${unit.source}/${unit.unit} ${fmt(result.wall, 2)} s\n`);
  }
}

process.stderr.write(`${units.length} units from ${path.join(corpus, values.set)}\n`);
if (toRun.includes('tesseract')) {
  await requireCommands(TESSERACT_COMMANDS);
  await runEngine('tesseract', (u) => runTesseract(u, { dpi: Number(values['tess-dpi']) }));
}
if (toRun.includes('folio')) {
  const engine = { threads: Number(values.threads), ...(JSON.parse(values.opts) as EngineOptions) };
  const folio = await createFolioRunner({ engine, dpi: Number(values.dpi) });
  try {
    await runEngine('folio', (u) => folio.run(u));
  } finally {
    await folio.close();
  }
}
if (toRun.includes('folio-auto')) {
  const engine = { threads: Number(values.threads), ...(JSON.parse(values.opts) as EngineOptions) };
  const folio = await createFolioRunner({ engine, dpi: Number(values.dpi), ocr: 'auto' });
  try {
    await runEngine('folio-auto', (u) => folio.run(u), isPdfUnit);
  } finally {
    await folio.close();
  }
}

if (toRun.includes('folio-wrapped')) {
  const engine = { threads: Number(values.threads), ...(JSON.parse(values.opts) as EngineOptions) };
  const folio = await createFolioRunner({ engine, dpi: Number(values.dpi), ocr: 'auto', wrapImages: true });
  try {
    await runEngine('folio-wrapped', (u) => folio.run(u), (u) => !isPdfUnit(u));
  } finally {
    await folio.close();
  }
}

// Score both engines on exactly the selected units.
const selected = new Set(units.map((u) => `${u.set}/${u.source}/${u.unit}`));
const scored = {} as Record<Engine, ScoredUnit[] | undefined>;
for (const e of ENGINES) {
  const mine = e === 'folio-auto' ? units.filter(isPdfUnit) : e === 'folio-wrapped' ? units.filter((u) => !isPdfUnit(u)) : units;
  const missing = mine.filter((u) => !stores[e].has(u)).length;
  if (missing === mine.length) {
    process.stderr.write(`(no ${e} outputs for these units: run with --engines ${e})\n`);
    continue;
  }
  if (missing > 0) process.stderr.write(`(warning: ${missing} units have no ${e} output and score as empty)\n`);
  const rows = await scoreHypotheses(corpus, stores[e].dir, stores[e].timesFile);
  scored[e] = rows.filter((r) => selected.has(`${r.set}/${r.source}/${r.unit}`));
}

const sources = [...new Set(units.map((u) => u.source))];
const summaryOf = (e: Engine, source?: string): Summary | undefined => {
  const rows = scored[e]?.filter((r) => source === undefined || r.source === source);
  return rows ? summarise(rows) : undefined;
};

/**
 * Recall of the ground truth's non-ASCII characters (accents, €, ’ – …), pooled over the
 * characters of the selected units of `source` (most units have none, so a mean per unit would
 * rest on a few); NaN when the truth has none.
 */
const nonAsciiOf = (e: Engine, source?: string): number =>
  scored[e]
    ? pooledRecall(
        units
          .filter((u) => (source === undefined || u.source === source) && (e !== 'folio-auto' || isPdfUnit(u)))
          .map((u) => nonAsciiRecall(readFileSync(path.join(corpus, u.set, u.source, `${u.unit}.gt.txt`), 'utf8'), stores[e].read(u))),
      )
    : Number.NaN;

const METRIC_ROWS: Array<[Metric, string, boolean]> = [
  ['cer', 'CER', false],
  ['wer', 'WER', false],
  ['cer_nocase', 'CER nocase', false],
  ['bow_f1', 'bow F1', true],
  ['seconds', 's/unit (wall)', false],
  ['cpu_seconds', 'CPU s/unit', false],
];

function sideBySide(title: string, source?: string): string {
  const f = summaryOf('folio', source);
  const t = summaryOf('tesseract', source);
  const rows = METRIC_ROWS.map(([k, label]) => [label, fmt(f?.[k] ?? Number.NaN), fmt(t?.[k] ?? Number.NaN), ratio(f?.[k] ?? Number.NaN, t?.[k] ?? Number.NaN)]);
  rows.push(['non-ASCII recall', fmt(nonAsciiOf('folio', source)), fmt(nonAsciiOf('tesseract', source)), ratio(nonAsciiOf('folio', source), nonAsciiOf('tesseract', source))]);
  rows.push(['det recall', fmt(recallOf(source)), '—', '—']);
  return `${title} (${f?.n ?? t?.n ?? 0} units)\n${formatTable(['metric', 'Folio', 'Tesseract', 'Folio/Tess'], rows)}`;
}

/** Macro mean of Folio's per-unit detection recall over the selected units of `source`. */
const recallOf = (source?: string): number => recalls.macro(units.filter((u) => source === undefined || u.source === source));

function summaryTable(markdown: boolean): string {
  const header = ['source', 'units', 'CER F / T', 'WER F / T', 'CER nocase F / T', 'bow F1 F / T', 's/unit F / T', 'CPU s/unit F / T', 'CPU F/T', 'non-ASCII recall F / T', 'det recall F'];
  const row = (label: string, source?: string): string[] => {
    const f = summaryOf('folio', source);
    const t = summaryOf('tesseract', source);
    const pair = (k: Metric, d = 3): string => `${fmt(f?.[k] ?? Number.NaN, d)} / ${fmt(t?.[k] ?? Number.NaN, d)}`;
    return [label, String(f?.n ?? t?.n ?? 0), pair('cer'), pair('wer'), pair('cer_nocase'), pair('bow_f1'), pair('seconds', 2), pair('cpu_seconds', 2), ratio(f?.cpu_seconds ?? Number.NaN, t?.cpu_seconds ?? Number.NaN), `${fmt(nonAsciiOf('folio', source))} / ${fmt(nonAsciiOf('tesseract', source))}`, fmt(recallOf(source))];
  };
  return formatTable(header, [...sources.map((s) => row(s, s)), row('all (macro)')], markdown);
}

/** Per PDF source: the text layer read as the pipeline does (auto) against OCR of every page (force). */
function autoVsForce(markdown: boolean): string {
  const pdfSources = sources.filter((s) => units.some((u) => u.source === s && isPdfUnit(u)));
  const pdfKeys = new Set(units.filter(isPdfUnit).map((u) => `${u.set}/${u.source}/${u.unit}`));
  const row = (label: string, source?: string): string[] => {
    const pdf = (e: Engine) => {
      const rows = scored[e]?.filter((r) => pdfKeys.has(`${r.set}/${r.source}/${r.unit}`) && (source === undefined ? pdfSources.includes(r.source) : r.source === source));
      return rows && rows.length ? summarise(rows) : undefined;
    };
    const a = pdf('folio-auto');
    const f = pdf('folio');
    const pair = (k: Metric, d = 3): string => `${fmt(a?.[k] ?? Number.NaN, d)} / ${fmt(f?.[k] ?? Number.NaN, d)}`;
    return [label, String(a?.n ?? f?.n ?? 0), pair('cer'), pair('cer_nocase'), pair('bow_f1'), pair('cpu_seconds', 3), ratio(f?.cpu_seconds ?? Number.NaN, a?.cpu_seconds ?? Number.NaN)];
  };
  return formatTable(['PDF source', 'units', 'CER auto / force', 'CER nocase auto / force', 'bow F1 auto / force', 'CPU s/unit auto / force', 'force/auto CPU'], [...pdfSources.map((s) => row(s, s)), row('all PDF (macro)')], markdown);
}

/** Per image source: each scan read as an image against the same scan wrapped in a PDF page and read as the pipeline reads PDFs (auto). */
function wrappedVsImage(markdown: boolean): string {
  const imageSources = sources.filter((s) => units.some((u) => u.source === s && !isPdfUnit(u)));
  const keys = new Set(units.filter((u) => !isPdfUnit(u)).map((u) => `${u.set}/${u.source}/${u.unit}`));
  const row = (label: string, source?: string): string[] => {
    const of = (e: Engine) => {
      const rows = scored[e]?.filter((r) => keys.has(`${r.set}/${r.source}/${r.unit}`) && (source === undefined || r.source === source));
      return rows && rows.length ? summarise(rows) : undefined;
    };
    const w = of('folio-wrapped');
    const f = of('folio');
    const pair = (k: Metric, d = 3): string => `${fmt(w?.[k] ?? Number.NaN, d)} / ${fmt(f?.[k] ?? Number.NaN, d)}`;
    return [label, String(w?.n ?? 0), pair('cer'), pair('cer_nocase'), pair('bow_f1'), pair('cpu_seconds', 3)];
  };
  return formatTable(['image source', 'units', 'CER wrapped / image', 'CER nocase wrapped / image', 'bow F1 wrapped / image', 'CPU s/unit wrapped / image'], [...imageSources.map((s) => row(s, s)), row('all images (macro)')], markdown);
}

const report = [
  ...sources.map((s) => sideBySide(s, s)),
  sideBySide('all sources, macro mean over units'),
  `summary (F = Folio, T = Tesseract; CPU F/T = ratio of CPU seconds per unit, below 1 means Folio needs less CPU)\n${summaryTable(false)}`,
  ...(scored['folio-auto'] ? [`PDF units: text layer (auto, the default) vs OCR of every page (force)\n${autoVsForce(false)}`] : []),
  ...(scored['folio-wrapped'] ? [`Scans wrapped in a PDF page (read as PDFs are, auto) vs the same scans read as images\n${wrappedVsImage(false)}`] : []),
].join('\n\n');
process.stdout.write(`\n${report}\n`);

mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'accuracy.md'),
  `# Accuracy on ${values.set}\n\n${summaryTable(true)}\n${scored['folio-auto'] ? `\n## PDF units: auto vs force\n\n${autoVsForce(true)}\n` : ''}${scored['folio-wrapped'] ? `\n## Scans wrapped in a PDF page vs read as images\n\n${wrappedVsImage(true)}\n` : ''}`,
);
writeFileSync(
  path.join(outDir, 'accuracy.json'),
  JSON.stringify(
    {
      set: values.set,
      options: { dpi: Number(values.dpi), tessDpi: Number(values['tess-dpi']), threads: Number(values.threads), opts: JSON.parse(values.opts) },
      sources: Object.fromEntries([...sources, undefined].map((s) => [s ?? 'all', { folio: summaryOf('folio', s), tesseract: summaryOf('tesseract', s), folioDetRecall: recallOf(s), nonAsciiRecall: { folio: nonAsciiOf('folio', s), tesseract: nonAsciiOf('tesseract', s) } }])),
      units: scored,
    },
    null,
    2,
  ),
);
process.stderr.write(`wrote ${path.join(outDir, 'accuracy.md')} and accuracy.json\n`);
