import { describe, expect, it } from 'vitest';
import { JOBS } from '@folio/queue';
import { pageReadOf } from './page-read.ts';

describe('pageReadOf', () => {
  it("carries the file's force_ocr and detector thresholds into the recognize job", () => {
    const read = pageReadOf({ forceOcr: true, detection: { binaryThreshold: 0.2, boxThreshold: 0.9 } });
    expect(read).toEqual({ forceOcr: true, detection: { binaryThreshold: 0.2, boxThreshold: 0.9 } });
    const job = { pageId: 'p1', fileId: 'f1', orgId: 'o1', requestId: 'r1', read };
    expect(JOBS.recognize.schema.parse(job)).toEqual(job);
  });

  it('leaves out thresholds a row does not have or that do not parse', () => {
    expect(pageReadOf({ forceOcr: false, detection: null })).toEqual({ forceOcr: false });
    expect(pageReadOf({ forceOcr: false, detection: { boxThreshold: 7 } })).toEqual({ forceOcr: false });
  });
});
