import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocument } from './document.open.ts';
import { searchablePdf } from './export.searchable-pdf.ts';
import { pagesToHocr } from './export.hocr.ts';
import type { ExportPage, ExportWord } from './export.types.ts';
import { makeTextPng, writePdf, type PdfPage } from './testing/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'folio-export-'));
let n = 0;
/** `pdftotext -bbox` of some PDF bytes: words with their boxes in points (origin top-left as displayed). */
function pdfWords(bytes: Uint8Array): Array<{ text: string; x: number; y: number }> {
  const file = path.join(dir, `${n++}.pdf`);
  writeFileSync(file, bytes);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ text: m[3]!.replace(/&amp;/g, '&'), x: Number(m[1]), y: Number(m[2]) }));
}

/** A page's words as an OCR result, taken from the text layer of the same page with text. */
async function resultOf(page: PdfPage, dpi: number): Promise<ExportPage> {
  const doc = await openDocument(writePdf([page]));
  const layer = await doc.readTextLayer!(0, { dpi });
  await doc.close();
  const words = layer.words.map((w) => ({ text: w.text, confidence: 0.9, quad: w.quad }));
  return { width: layer.width, height: layer.height, dpi, source: 'ocr', blocks: [{ kind: 'paragraph', quad: words[0]!.quad, lines: [{ text: '', quad: words[0]!.quad, words }] }] };
}

const texts = [
  { text: 'Invoice 4711 total €12,50 café', x: 72, y: 100 },
  { text: 'Second line of the scan', x: 72, y: 140 },
];

describe('searchable PDF', () => {
  for (const rotate of [0, 90] as const) {
    it(`lays invisible OCR words where the page shows them (/Rotate ${rotate})`, async () => {
      const withText = writePdf([{ rotate, texts }]);
      const scan: PdfPage = { rotate, rects: [{ x: 60, y: 80, width: 300, height: 80 }] };
      const original = writePdf([scan]);
      const out = await searchablePdf(original, 'pdf', [await resultOf({ rotate, texts }, 150)]);
      const expected = pdfWords(withText);
      const got = pdfWords(out);
      expect(got.map((w) => w.text)).toEqual(expected.map((w) => w.text));
      got.forEach((w, i) => {
        expect(Math.abs(w.x - expected[i]!.x)).toBeLessThan(3);
        expect(Math.abs(w.y - expected[i]!.y)).toBeLessThan(4);
      });
      // The original plus the text, not a re-rendered page.
      expect(out.length).toBeLessThan(original.length * 1.1 + 4_000);
    });
  }

  it('adds nothing to pages read from their text layer, and only OCR words on mixed pages', async () => {
    const original = writePdf([{ texts: [texts[0]!] }, { texts: [texts[1]!] }]);
    const first = { ...(await resultOf({ texts: [texts[0]!] }, 150)), source: 'text_layer' as const };
    const second = await resultOf({ texts: [texts[1]!] }, 150);
    const mixed: ExportPage = {
      ...second,
      source: 'mixed',
      blocks: second.blocks.map((b) => ({ ...b, lines: b.lines.map((l) => ({ ...l, words: l.words.map((w) => ({ ...w, origin: 'text_layer' as const })) })) })),
    };
    const out = await searchablePdf(original, 'pdf', [first, mixed]);
    expect(pdfWords(out).map((w) => w.text)).toEqual(pdfWords(original).map((w) => w.text));
  });

  it('keeps every Unicode character of the words extractable (glyph-less Identity-H font with ToUnicode)', async () => {
    const original = writePdf([{ rects: [{ x: 60, y: 80, width: 400, height: 120 }] }]);
    const words = ['Prix', '€12,50', 'café', 'Straße', 'l’été', 'Ærø', 'naïve', '日本語', 'Ωμέγα', '𝔘nicode'];
    const quad = (i: number): ExportWord['quad'] => [[100 + i * 120, 200], [200 + i * 120, 200], [200 + i * 120, 240], [100 + i * 120, 240]];
    const page: ExportPage = {
      width: 1275 * 2,
      height: 1650,
      dpi: 150,
      source: 'ocr',
      blocks: [{ kind: 'paragraph', quad: quad(0), lines: [{ text: words.join(' '), quad: quad(0), words: words.map((text, i) => ({ text, confidence: 0.9, quad: quad(i) })) }] }],
    };
    const out = await searchablePdf(original, 'pdf', [page]);
    const file = path.join(dir, `${n++}.pdf`);
    writeFileSync(file, out);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text.split(/\s+/).filter(Boolean)).toEqual(words);
    expect(out.length).toBeLessThan(original.length * 1.1 + 4_000);
  });

  it('turns an image into a page of its size with the words over it', async () => {
    const png = await makeTextPng(['Hello export']);
    const doc = await openDocument(png);
    const raster = await doc.renderPage(0);
    await doc.close();
    const h = raster.height;
    const page: ExportPage = {
      width: raster.width,
      height: h,
      dpi: raster.dpi,
      source: 'ocr',
      blocks: [{ kind: 'paragraph', quad: [[10, 10], [200, 10], [200, h - 10], [10, h - 10]], lines: [{ text: 'Hello export', quad: [[10, 10], [200, 10], [200, h - 10], [10, h - 10]], words: [
        { text: 'Hello', confidence: 0.9, quad: [[10, 10], [100, 10], [100, h - 10], [10, h - 10]] },
        { text: 'export', confidence: 0.9, quad: [[120, 10], [200, 10], [200, h - 10], [120, h - 10]] },
      ] }] }],
    };
    const out = await searchablePdf(png, 'png', [page]);
    expect(pdfWords(out).map((w) => w.text)).toEqual(['Hello', 'export']);
  });
});

describe('hOCR', () => {
  it('writes ocr_page → ocr_carea → ocr_par → ocr_line → ocrx_word with bbox and x_wconf, escaped', async () => {
    const page = await resultOf({ texts: [{ text: 'Fish & <chips> 5', x: 72, y: 100 }] }, 150);
    const hocr = pagesToHocr([page, null], { title: 'a.pdf' });
    expect(hocr).toContain(`class="ocr_page" id="page_1" title="bbox 0 0 ${page.width} ${page.height}; ppageno 0; scan_res 150 150"`);
    for (const c of ['ocr_carea', 'ocr_par', 'ocr_line']) expect(hocr).toContain(`class="${c}"`);
    expect(hocr).toMatch(/<span class="ocrx_word" id="word_1_2" title="bbox \d+ \d+ \d+ \d+; x_wconf 90">&amp;<\/span>/);
    expect(hocr).toContain('>&lt;chips&gt;</span>');
    expect(hocr).toContain('<div class="ocr_page" id="page_2" title="ppageno 1"></div>');
  });
});
