import { describe, expect, it } from 'vitest';
import { loadPdfjs, pdfjsParameters } from '../pdf.runtime.ts';
import { makeTextPdf, writePdf } from './pdf.writer.ts';
import { rc4 } from './pdf.encrypt.ts';

async function pageTexts(pdf: Uint8Array, password?: string): Promise<string[][]> {
  const { getDocument } = await loadPdfjs();
  const doc = await getDocument({ ...pdfjsParameters(pdf.slice()), ...(password ? { password } : {}) }).promise;
  const pages: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.flatMap((item) => ('str' in item ? [item.str] : [])));
  }
  await doc.destroy();
  return pages;
}

describe('makeTextPdf', () => {
  it('writes text that a PDF reader extracts back, page by page, escapes included', async () => {
    const pages = [['Invoice (copy) 42', 'Back\\slash, “quotes” – €12.50, café'], ['Second page']];
    expect(await pageTexts(makeTextPdf(pages))).toEqual(pages);
  });

  it('writes an exact cross-reference table (readers need not repair it)', () => {
    const pdf = Buffer.from(makeTextPdf([['a'], ['b'], ['c']]));
    const text = pdf.toString('latin1');
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
    expect(Number(first)).toBe(0);
    const entries = text.slice(startxref).split('\n').slice(3, 2 + Number(count));
    entries.forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(text.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
  });

  it('places text runs and rectangles where asked, on pages of any size', async () => {
    const pdf = writePdf([
      { width: 300, height: 200, texts: [{ text: 'Cell', x: 20, y: 40, size: 10, font: 'Courier' }], rects: [{ x: 10, y: 10, width: 100, height: 50 }] },
    ]);
    expect(await pageTexts(pdf)).toEqual([['Cell']]);
  });

  it('encrypts with RC4 so that the right user password opens it', async () => {
    const pdf = makeTextPdf([['Top secret']], { encrypt: { userPassword: 'pw', ownerPassword: 'owner' } });
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('Top secret');
    expect(await pageTexts(pdf, 'pw')).toEqual([['Top secret']]);
  });
});

describe('rc4', () => {
  it('matches the published test vector', () => {
    const out = rc4(Buffer.from('Key'), Buffer.from('Plaintext'));
    expect(Buffer.from(out).toString('hex')).toBe('bbf316e8d940af0ad3');
  });
});
