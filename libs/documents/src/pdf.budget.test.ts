import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentBombPdf, formBombPdf, hugeImagePdf, inflateBombImagePdf, jbig2BombPdf, jpxBombPdf, makeTextPdf, rawPdf, writePdf } from './testing/index.ts';
import { openPdfBudgetCheck } from './pdf.budget.ts';

const MB = 1024 * 1024;

async function verdict(bytes: Uint8Array, index = 0) {
  const check = await openPdfBudgetCheck(bytes);
  expect(check).toBeDefined();
  return check?.check(index);
}

/** Every PDF under `dir`, recursively. */
function pdfsUnder(dir: string): string[] {
  let found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(pdfsUnder(path));
    else if (name.toLowerCase().endsWith('.pdf')) found.push(path);
  }
  return found;
}

describe('page budgets checked before painting', () => {
  it('lets ordinary pages through', async () => {
    const check = await openPdfBudgetCheck(makeTextPdf([['Invoice 4711', 'Total 99.00'], ['Page two']]));
    expect([check?.check(0), check?.check(1), check?.check(2)]).toEqual([undefined, undefined, undefined]);
  });

  it('lets every page of the dev and extraction PDFs through (no real document is refused)', async () => {
    const files = ['/work/shared/eval/dev', '/work/shared/extraction'].flatMap((d) => pdfsUnder(d));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const check = await openPdfBudgetCheck(bytes);
      for (let i = 0; i < 50; i++) expect(check?.check(i), `${file} page ${i + 1}`).toBeUndefined();
    }
  }, 60_000);

  it('refuses a content stream that inflates past the byte budget, without inflating all of it', async () => {
    const bomb = contentBombPdf(300 * MB);
    const started = performance.now();
    const excess = await verdict(bomb);
    expect(excess).toEqual({ budget: 'content_bytes', limit: 64 * MB, found: 64 * MB + 1 });
    // Inflating stops at the budget: well under the seconds pdfjs needs for 300 MB of operators.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('counts operators, forms as often as they are painted', async () => {
    // 100 × 100 × 3000 = 30 million operators from a few KB of content.
    expect(await verdict(formBombPdf(100))).toMatchObject({ budget: 'operators', limit: 5_000_000 });
    expect(await verdict(formBombPdf(10))).toBeUndefined();
  });

  it('refuses one path longer than the segment budget', async () => {
    const pdf = writePdf([{ rawContent: '0 0 m 595 842 l '.repeat(600_000) + 'S' }], { compress: true });
    expect(await verdict(pdf)).toEqual({ budget: 'path_segments', limit: 1_000_000, found: 1_200_000 });
    const painted = writePdf([{ rawContent: '0 0 m 595 842 l S '.repeat(600_000) }], { compress: true });
    expect(await verdict(painted)).toBeUndefined();
  });

  it('judges images by the size their codestream declares, not only their dictionary', async () => {
    const huge = { budget: 'image_pixels', limit: 100_000_000, found: 3_600_000_000 };
    expect(await verdict(jpxBombPdf())).toEqual(huge);
    expect(await verdict(jbig2BombPdf())).toEqual(huge);
    expect(await verdict(hugeImagePdf())).toEqual(huge);
    expect(await verdict(jpxBombPdf(1000, 1000))).toBeUndefined();
    expect(await verdict(jbig2BombPdf(1000, 1000))).toBeUndefined();
  });

  it('refuses an inline image declaring a huge size', async () => {
    const inline = writePdf([{ rawContent: 'q 100 0 0 100 0 0 cm BI /W 60000 /H 60000 /BPC 8 /CS /G ID \x80\x80 EI Q' }]);
    expect(await verdict(inline)).toMatchObject({ budget: 'image_pixels', found: 3_600_000_000 });
  });

  it('refuses a Flate image that inflates far past its declared size (pdfjs inflates it whole)', async () => {
    // 100 × 100 gray: 10 100 bytes with predictor bytes, plus the 1 MiB slack.
    expect(await verdict(inflateBombImagePdf(64 * MB))).toEqual({ budget: 'image_stream_bytes', limit: 10_100 + MB, found: 10_101 + MB });
    expect(await verdict(inflateBombImagePdf(512 * 1024))).toBeUndefined();
  });

  it('cannot judge what it cannot read, and says so by judging nothing', async () => {
    expect(await openPdfBudgetCheck(new TextEncoder().encode('not a pdf'))).toBeUndefined();
    const check = await openPdfBudgetCheck(rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']));
    expect(check?.check(0)).toBeUndefined();
  });
});
