import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One scored unit: an image, or one page of a PDF, that has a ground-truth text. */
export interface EvalUnit {
  set: string;
  source: string;
  /** `<name>` for images, `<name>.p<N>` for PDF pages, as score.py names them. */
  unit: string;
  file: string;
  kind: 'image' | 'pdf-page';
  /** 0-based page index. */
  page: number;
}

const IMAGE_EXT = ['.jpg', '.jpeg', '.png', '.tif', '.tiff'];

/** The shared evaluation corpus: `$FOLIO_EVAL_DIR`, else `../shared/eval` next to the repository. */
export function defaultCorpus(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return process.env.FOLIO_EVAL_DIR ?? path.resolve(repo, '..', 'shared', 'eval');
}

/** Walks `<corpus>/<set>/<source>/` exactly as score.py's `find_units` does. */
export function findUnits(corpus: string, set = 'dev'): EvalUnit[] {
  const setDir = path.join(corpus, set);
  if (!existsSync(setDir)) throw new Error(`no evaluation set at ${setDir} (set FOLIO_EVAL_DIR or --corpus)`);
  const units: EvalUnit[] = [];
  for (const source of readdirSync(setDir).sort()) {
    const dir = path.join(setDir, source);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.gt.txt')) continue;
      const unit = f.slice(0, -'.gt.txt'.length);
      const m = /^(.+)\.p(\d+)$/.exec(unit);
      if (m && existsSync(path.join(dir, `${m[1]}.pdf`))) {
        units.push({ set, source, unit, file: path.join(dir, `${m[1]}.pdf`), kind: 'pdf-page', page: Number(m[2]) });
        continue;
      }
      const image = IMAGE_EXT.map((e) => path.join(dir, unit + e)).find((p) => existsSync(p));
      if (image) units.push({ set, source, unit, file: image, kind: 'image', page: 0 });
    }
  }
  return units;
}

/**
 * Keeps the units of the named sources (substring match) and at most `limit` in all, taken
 * round-robin across sources so a short run still sees every kind of document.
 */
export function selectUnits(units: EvalUnit[], sources: string[] | undefined, limit: number | undefined): EvalUnit[] {
  const kept = sources ? units.filter((u) => sources.some((s) => u.source.includes(s))) : units;
  if (limit === undefined || limit >= kept.length) return kept;
  const bySource = new Map<string, EvalUnit[]>();
  for (const u of kept) bySource.set(u.source, [...(bySource.get(u.source) ?? []), u]);
  const queues = [...bySource.values()];
  const picked: EvalUnit[] = [];
  for (let i = 0; picked.length < limit; i++) {
    for (const q of queues) if (q[i] && picked.length < limit) picked.push(q[i]!);
  }
  const order = new Map(kept.map((u, i) => [u, i]));
  return picked.sort((a, b) => order.get(a)! - order.get(b)!);
}
