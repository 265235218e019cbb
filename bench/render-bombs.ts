/**
 * Hostile PDF pages against the render pool: how fast each is refused, and what the render
 * processes' RSS does (baseline with pdfjs loaded, peak while judging/rendering, settled after
 * the next ordinary page). Each bomb is run twice in the same run: with the pre-paint budgets
 * (the default) and, as the peer, with the budgets lifted so that only the memory ceiling
 * (`--memory-mb`, as RENDER_MEMORY_MB) stops it — what Folio did before the budgets.
 *
 *   npm run bench:render-bombs -- [--memory-mb 512] [--no-peer]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveLimits, type PageBudgetInput } from '@folio/documents';
import { contentBombPdf, formBombPdf, hugeImagePdf, inflateBombImagePdf, jbig2BombPdf, jpxBombPdf, makeTextPdf } from '@folio/documents/testing';
import { createRenderPool } from '../apps/worker/src/render/render.pool.ts';
import { formatTable } from './lib/table.ts';
import { machineNote } from './lib/services.ts';

const { values } = parseArgs({ options: { 'memory-mb': { type: 'string', default: '512' }, 'no-peer': { type: 'boolean', default: false } } });
const MB = 1024 * 1024;
const memoryLimitBytes = Number(values['memory-mb']) * MB;
const LIFTED: PageBudgetInput = { maxContentBytes: 2 ** 31, maxOperators: 2 ** 31, maxPathSegments: 2 ** 31, maxImagePixels: 2 ** 40, imageStreamSlack: 2 ** 40 };

const text = makeTextPdf([['Ordinary page one'], ['Ordinary page two']]);
const bombs: Record<string, Uint8Array> = {
  'content stream, 300 MB of path operators': contentBombPdf(300 * MB),
  'Flate image, 100×100 inflating to 256 MB': inflateBombImagePdf(256 * MB),
  'forms painting forms, 30 M operators': formBombPdf(100),
  'JPX codestream declaring 60000×60000': jpxBombPdf(),
  'JBIG2 page declaring 60000×60000': jbig2BombPdf(),
  'image dictionary declaring 60000×60000': hugeImagePdf(),
};
/** Lifting the budgets on these only shows pdfjs failing on its own (no allocation of the declared size happens first). */
const PEERED = new Set(['content stream, 300 MB of path operators', 'Flate image, 100×100 inflating to 256 MB', 'forms painting forms, 30 M operators']);

function childrenRss(): number {
  const kb = execFileSync('ps', ['-o', 'rss=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => Number(l.trim()) || 0)
    .reduce((a, b) => a + b, 0);
  return kb * 1024;
}

async function run(pdf: Uint8Array, budget: PageBudgetInput | undefined) {
  const pool = createRenderPool({
    threads: 1,
    timeoutMs: 120_000,
    memoryLimitBytes,
    limits: resolveLimits(),
    load: async (key) => (key === 'bomb' ? pdf : text),
    ...(budget ? { budget } : {}),
  });
  try {
    await pool.render('text', 0, 150);
    const baseline = childrenRss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, childrenRss())), 10);
    const started = performance.now();
    const outcome = await pool.render('bomb', 0, 150).then(
      () => 'rendered',
      (err: Error) => err.message,
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    await pool.render('text', 1, 150);
    return { outcome, ms, baseline, peak: Math.max(peak, childrenRss()), settled: childrenRss() };
  } finally {
    await pool.close();
  }
}

const cpu = /Model name:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8').replace(/model name\s*:/i, 'Model name:'))?.[1] ?? 'unknown CPU';
console.log(`render bombs — ${cpu}; ${machineNote()}; memory ceiling ${values['memory-mb']} MB; 150 dpi`);
const rows: string[][] = [];
for (const [name, pdf] of Object.entries(bombs)) {
  for (const mode of ['budgets', 'ceiling only'] as const) {
    if (mode === 'ceiling only' && (values['no-peer'] || !PEERED.has(name))) continue;
    const r = await run(pdf, mode === 'budgets' ? undefined : LIFTED);
    rows.push([name, `${Math.round(pdf.length / 1024)} KB`, mode, `${(r.ms / 1000).toFixed(2)} s`, `${Math.round(r.baseline / MB)}`, `${Math.round(r.peak / MB)}`, `${Math.round(r.settled / MB)}`, r.outcome.slice(0, 90)]);
  }
}
console.log(formatTable(['page', 'file', 'mode', 'refused in', 'RSS base MB', 'peak MB', 'settled MB', 'outcome'], rows));
