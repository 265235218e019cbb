import { describe, expect, it } from 'vitest';
import { fileProgressView } from './file-progress.ts';

const base = { id: 'f', status: 'PROCESSING', errorMessage: null, failedPages: [] } as const;

describe('fileProgressView', () => {
  it('counts the pages that are processed: a selection of 2 of 3 pages totals 2', () => {
    const view = fileProgressView({ ...base, pageCount: 3, counts: { total: 2, done: 2, failed: 0 } });
    expect(view).toMatchObject({ pages_total: 2, pages_done: 2 });
  });

  it('falls back to the document`s count before any page row exists', () => {
    expect(fileProgressView({ ...base, pageCount: 4, counts: { total: 0, done: 0, failed: 0 } }).pages_total).toBe(4);
    expect(fileProgressView({ ...base, pageCount: null, counts: { total: 0, done: 0, failed: 0 } }).pages_total).toBe(0);
  });
});
