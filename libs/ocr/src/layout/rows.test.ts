import { describe, expect, it } from 'vitest';
import { line, shuffled } from './fixtures.test-helpers.ts';
import { makeFragments } from './fragments.ts';
import { groupRows } from './rows.ts';

const frame = { angle: 0, center: [0, 0] as [number, number] };
const rowsOf = (...lines: ReturnType<typeof line>[]) => groupRows(makeFragments(shuffled(lines), frame)).map((r) => r.map((f) => f.text));

describe('groupRows', () => {
  it('puts level fragments on one row, left to right, and splits boxes at wide gaps', () => {
    expect(rowsOf(line('Total', 20, 100), line('12.00', 300, 102), line('Tax', 20, 130), line('1.00', 300, 129))).toEqual([
      ['Total', '12.00'],
      ['Tax', '1.00'],
    ]);
    // One detector box with a wide gap inside becomes two fragments of the same row.
    const wide = line('Name:          Ada', 20, 20);
    expect(rowsOf(wide)).toEqual([['Name:', 'Ada']]);
  });

  it('keeps a speck or a duplicate box inside a line on that line', () => {
    expect(rowsOf(line('questioned her until he learned', 20, 100), line('d', 150, 103, { h: 14 }))).toEqual([['questioned her until he learned', 'd']]);
  });

  it('separates stacked lines even when tall boxes overlap most of a line height', () => {
    expect(rowsOf(line('first line of text', 20, 100, { h: 30, cw: 10 }), line('second line of text', 20, 112, { h: 30, cw: 10 }))).toEqual([
      ['first line of text'],
      ['second line of text'],
    ]);
  });
});
