import type { FileProgressView } from '@folio/contracts';
import { describe, expect, it } from 'vitest';
import { progressLine, ProgressBoard } from './progress.display.ts';

const view = (over: Partial<FileProgressView>): FileProgressView => ({
  file_id: 'f',
  status: 'processing',
  pages_total: 4,
  pages_done: 0,
  pages_failed: 0,
  failed_pages: [],
  error: null,
  ...over,
});

function sink(isTTY: boolean) {
  const out = { text: '', isTTY, write: (t: string) => (out.text += t) };
  return out;
}

describe('progress display', () => {
  it('draws a bar of finished pages (failed ones count as finished)', () => {
    expect(progressLine('a.pdf', view({ pages_done: 1, pages_failed: 1 }), 8)).toBe('a.pdf     [############------------]  2/4 pages, 1 failed  processing');
    expect(progressLine('a.pdf', view({ pages_total: 0, status: 'queued' }))).toBe('a.pdf  [------------------------]  counting pages  queued');
  });

  it('writes one line per change when not on a terminal, and none for a repeat', () => {
    const out = sink(false);
    const board = new ProgressBoard(out, ['a.pdf', 'b.png']);
    board.update('1', 'a.pdf', view({}));
    board.update('1', 'a.pdf', view({}));
    board.update('2', 'b.png', view({ pages_total: 1, pages_done: 1, status: 'complete' }));
    expect(out.text.split('\n')).toEqual([expect.stringMatching(/^a\.pdf .* 0\/4 pages  processing$/), expect.stringMatching(/^b\.png .* 1\/1 pages  complete$/), '']);
  });

  it('redraws the whole block in place on a terminal', () => {
    const out = sink(true);
    const board = new ProgressBoard(out, ['a.pdf', 'b.png']);
    board.update('1', 'a.pdf', view({}));
    board.update('2', 'b.png', view({}));
    out.text = '';
    board.update('1', 'a.pdf', view({ pages_done: 4, status: 'complete' }));
    // Up two lines, then both lines cleared and written again.
    expect(out.text.startsWith('\x1b[2A\r\x1b[2Ka.pdf')).toBe(true);
    expect(out.text.match(/\r\x1b\[2K/g)).toHaveLength(2);
    expect(out.text).toContain('4/4 pages  complete');
  });
});
