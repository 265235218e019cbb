import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrPage } from '@folio/ocr';
import type { EvalUnit } from './eval-units.ts';

/** Ground-truth boxes of PDF pages are in pixels of a 200-dpi rendering (see the corpus README). */
const PDF_GT_DPI = 200;
/** A truth box counts as found when this share of its middle row lies inside the page's line boxes… */
const COVERED = 0.5;
/** …each grown by this share of its height: truth boxes are loose, detector boxes hug the glyphs. */
const SLACK = 0.3;
const SAMPLES = 9;

export interface Recall {
  found: number;
  total: number;
}

/**
 * Detection recall of one page against its `gt.json` boxes: the share of truth boxes (words or
 * lines) whose middle row is at least half covered by the boxes of the lines the page reports
 * (lines the engine dropped count as missed; a truth box spanning a gap, such as `CASH :`, is
 * found when its words are). Undefined when the unit has no box file.
 */
export function detectionRecall(unit: EvalUnit, page: OcrPage): Recall | undefined {
  const file = path.join(path.dirname(unit.file), `${unit.unit}.gt.json`);
  if (!existsSync(file)) return undefined;
  const truth = JSON.parse(readFileSync(file, 'utf8')) as Array<{ box: [number, number, number, number] }>;
  const scale = unit.kind === 'pdf-page' ? page.dpi / PDF_GT_DPI : 1;
  const lines = page.blocks.flatMap((b) => b.lines).map((l) => {
    const xs = l.quad.map((p) => p[0]);
    const ys = l.quad.map((p) => p[1]);
    const grow = SLACK * (Math.max(...ys) - Math.min(...ys));
    return [Math.min(...xs) - grow, Math.min(...ys) - grow, Math.max(...xs) + grow, Math.max(...ys) + grow] as const;
  });
  let found = 0;
  for (const { box } of truth) {
    const [x0, y0, x1, y1] = box.map((v) => v * scale) as [number, number, number, number];
    const y = (y0 + y1) / 2;
    let inside = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const x = x0 + ((i + 0.5) / SAMPLES) * (x1 - x0);
      if (lines.some((l) => x >= l[0] && x <= l[2] && y >= l[1] && y <= l[3])) inside++;
    }
    if (inside / SAMPLES >= COVERED) found++;
  }
  return { found, total: truth.length };
}

/** Per-unit recall kept next to an engine's outputs (`<dir>/recall.tsv`), so later runs still print it. */
export class RecallStore {
  private readonly rows = new Map<string, Recall>();

  constructor(private readonly dir: string) {
    if (existsSync(this.file)) {
      const [, ...lines] = readFileSync(this.file, 'utf8').trim().split('\n');
      for (const line of lines) {
        const [set, source, unit, found, total] = line.split('\t');
        this.rows.set(`${set}\t${source}\t${unit}`, { found: Number(found), total: Number(total) });
      }
    }
  }

  private get file(): string {
    return path.join(this.dir, 'recall.tsv');
  }

  put(unit: EvalUnit, recall: Recall | undefined): void {
    const key = `${unit.set}\t${unit.source}\t${unit.unit}`;
    if (recall) this.rows.set(key, recall);
    else this.rows.delete(key);
    mkdirSync(this.dir, { recursive: true });
    const lines = [...this.rows].map(([k, r]) => `${k}\t${r.found}\t${r.total}`);
    writeFileSync(this.file, ['set\tsource\tunit\tfound\ttotal', ...lines.sort()].join('\n') + '\n');
  }

  /** Macro mean of per-unit recall over `units` (those with boxes), NaN when none has any. */
  macro(units: readonly EvalUnit[]): number {
    const r = units.map((u) => this.rows.get(`${u.set}\t${u.source}\t${u.unit}`)).filter((x): x is Recall => x !== undefined && x.total > 0);
    return r.length === 0 ? Number.NaN : r.reduce((a, x) => a + x.found / x.total, 0) / r.length;
  }
}
