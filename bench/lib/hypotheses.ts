import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvalUnit } from './eval-units.ts';

/** Where one engine's outputs live: `<out>/<engine>/<set>/<source>/<unit>.txt` and `<out>/<engine>/times.tsv`. */
export class HypothesisStore {
  private readonly times = new Map<string, { seconds: number; cpu: number }>();

  constructor(readonly dir: string) {
    // Keep earlier timings so a run of one engine or a few units still scores the rest.
    if (existsSync(this.timesFile)) {
      const [, ...lines] = readFileSync(this.timesFile, 'utf8').trim().split('\n');
      for (const line of lines) {
        const [set, source, unit, seconds, cpu] = line.split('\t');
        this.times.set(`${set}\t${source}\t${unit}`, { seconds: Number(seconds), cpu: Number(cpu) });
      }
    }
  }

  get timesFile(): string {
    return path.join(this.dir, 'times.tsv');
  }

  has(unit: EvalUnit): boolean {
    return existsSync(this.file(unit)) && this.times.has(this.key(unit));
  }

  put(unit: EvalUnit, text: string, seconds: number, cpu: number): void {
    mkdirSync(path.dirname(this.file(unit)), { recursive: true });
    writeFileSync(this.file(unit), text.endsWith('\n') || text === '' ? text : `${text}\n`);
    this.times.set(this.key(unit), { seconds, cpu });
    this.flush();
  }

  private flush(): void {
    const rows = [...this.times].map(([k, t]) => `${k}\t${t.seconds.toFixed(4)}\t${t.cpu.toFixed(4)}`);
    writeFileSync(this.timesFile, ['set\tsource\tunit\tseconds\tcpu_seconds', ...rows.sort()].join('\n') + '\n');
  }

  private key(u: EvalUnit): string {
    return `${u.set}\t${u.source}\t${u.unit}`;
  }

  /** The engine's text for `u`, '' when it has none. */
  read(u: EvalUnit): string {
    return existsSync(this.file(u)) ? readFileSync(this.file(u), 'utf8') : '';
  }

  private file(u: EvalUnit): string {
    return path.join(this.dir, u.set, u.source, `${u.unit}.txt`);
  }
}
