import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EvalUnit } from './eval-units.ts';
import type { UnitResult } from './folio.runner.ts';
import { runMeasured } from './measure.ts';

/** apt packages the Tesseract side needs, by command. */
export const TESSERACT_COMMANDS = { tesseract: 'tesseract-ocr tesseract-ocr-eng', pdftoppm: 'poppler-utils' };

/** One thread: Tesseract's OpenMP threading is 4–5× slower on 2 cores (shared/NOTES.md). */
export const tesseractEnv = (): NodeJS.ProcessEnv => ({ ...process.env, OMP_THREAD_LIMIT: '1' });

/**
 * Tesseract as people run it: `tesseract IMG -` (eng, default page segmentation), PDF pages
 * first rasterized by `pdftoppm -r <dpi>`. Wall and CPU include the rasterization.
 */
export async function runTesseract(unit: EvalUnit, options: { dpi: number }): Promise<UnitResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'folio-tess-'));
  try {
    let image = unit.file;
    let wall = 0;
    let cpu = 0;
    if (unit.kind === 'pdf-page') {
      const prefix = path.join(dir, 'page');
      const n = String(unit.page + 1);
      const r = await runMeasured('pdftoppm', ['-r', String(options.dpi), '-f', n, '-l', n, '-png', '-singlefile', unit.file, prefix]);
      image = `${prefix}.png`;
      wall += r.wall;
      cpu += r.cpu;
    }
    const r = await runMeasured('tesseract', [image, '-', '-l', 'eng'], tesseractEnv());
    return { text: r.stdout, wall: wall + r.wall, cpu: cpu + r.cpu };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
