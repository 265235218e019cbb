import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** One unit as score.py scored it. */
export interface ScoredUnit {
  set: string;
  source: string;
  unit: string;
  cer: number;
  wer: number;
  cer_nocase: number;
  wer_nocase: number;
  bow_f1: number;
  /** Wall seconds (from the times file), NaN when unknown. */
  seconds: number;
  /** CPU seconds (from the times file), NaN when unknown. */
  cpu_seconds: number;
  missing_hyp: boolean;
}

/**
 * Runs the reference scorer over `hypDir/<set>/<source>/<unit>.txt` with a times TSV
 * (columns set, source, unit, seconds, cpu_seconds) and returns its per-unit rows.
 * Aggregation is left to the caller so a partial run averages only the units it ran
 * (score.py counts a missing hypothesis as empty output).
 */
export async function scoreHypotheses(corpus: string, hypDir: string, timesTsv: string): Promise<ScoredUnit[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'folio-score-'));
  const out = path.join(dir, 'scores.tsv');
  try {
    await promisify(execFile)(
      'python3',
      [path.join(corpus, 'score.py'), '--corpus', corpus, '--hyp-dir', hypDir, '--times', timesTsv, '--out', out],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const text = readFileSync(out, 'utf8');
    // Per-unit rows come first; the summary block after the first blank line is recomputed by the caller.
    const [table = ''] = text.split('\n\n');
    const [header = '', ...lines] = table.trim().split('\n');
    const cols = header.split('\t');
    return lines.map((line) => {
      const v = Object.fromEntries(line.split('\t').map((x, i) => [cols[i], x]));
      const num = (k: string): number => (v[k] === undefined || v[k] === '' ? Number.NaN : Number(v[k]));
      return {
        set: v.set ?? '',
        source: v.source ?? '',
        unit: v.unit ?? '',
        cer: num('cer'),
        wer: num('wer'),
        cer_nocase: num('cer_nocase'),
        wer_nocase: num('wer_nocase'),
        bow_f1: num('bow_f1'),
        seconds: num('seconds'),
        cpu_seconds: num('cpu_seconds'),
        missing_hyp: v.missing_hyp === '1',
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const METRICS = ['cer', 'wer', 'cer_nocase', 'bow_f1', 'seconds', 'cpu_seconds'] as const;
export type Metric = (typeof METRICS)[number];
export type Summary = Record<Metric, number> & { n: number };

/** Unweighted mean over units (score.py's "macro" mean); NaN-free means over known values. */
export function summarise(rows: ScoredUnit[]): Summary {
  const mean = (k: Metric): number => {
    const vals = rows.map((r) => r[k]).filter((x) => Number.isFinite(x));
    return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : Number.NaN;
  };
  return { n: rows.length, ...Object.fromEntries(METRICS.map((k) => [k, mean(k)])) } as Summary;
}
