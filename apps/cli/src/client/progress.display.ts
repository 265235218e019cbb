import type { FileProgressView } from '@folio/contracts';

/** Width of the bar between the brackets, characters. */
const BAR_WIDTH = 24;

/** One file's line: `name  [#####-----]  3/7 pages, 1 failed  processing`. */
export function progressLine(name: string, p: FileProgressView, nameWidth = name.length): string {
  const finished = p.pages_done + p.pages_failed;
  const ratio = p.pages_total > 0 ? finished / p.pages_total : p.status === 'complete' ? 1 : 0;
  const filled = Math.round(Math.min(1, ratio) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const pages = p.pages_total > 0 ? `${finished}/${p.pages_total} pages` : 'counting pages';
  const failed = p.pages_failed > 0 ? `, ${p.pages_failed} failed` : '';
  return `${name.padEnd(nameWidth)}  ${bar}  ${pages}${failed}  ${p.status}`;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/**
 * Progress of several files on stderr. On a terminal the block of lines is redrawn in place
 * (cursor up, clear line); elsewhere (a log file, CI) each change is one new line.
 */
export class ProgressBoard {
  private readonly lines = new Map<string, string>();
  private drawn = 0;
  private readonly width: number;

  constructor(
    private readonly out: Output,
    names: readonly string[],
  ) {
    this.width = Math.min(40, Math.max(0, ...names.map((n) => n.length)));
  }

  update(key: string, name: string, progress: FileProgressView): void {
    const line = progressLine(name.length > this.width ? `${name.slice(0, this.width - 1)}…` : name, progress, this.width);
    if (this.lines.get(key) === line) return;
    this.lines.set(key, line);
    if (!this.out.isTTY) {
      this.out.write(`${line}\n`);
      return;
    }
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(`${up}${[...this.lines.values()].map((l) => `\r\x1b[2K${l}\n`).join('')}`);
    this.drawn = this.lines.size;
  }

  /** A message under the board (errors), without breaking the redraw. */
  note(text: string): void {
    this.out.write(`${text}\n`);
    // The note pushed the board up: redraw it below rather than over the note.
    this.drawn = 0;
  }
}
