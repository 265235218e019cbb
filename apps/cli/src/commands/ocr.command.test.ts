import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { makeTextPdf, makeTextPng, textLayerFixtures, TYPOGRAPHIC_LINE } from '@folio/documents/testing';
import { ocrCommand } from './ocr.command.ts';

let dir: string;
let pdf: string;
let png: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'folio-ocr-cli-'));
  pdf = path.join(dir, 'two-pages.pdf');
  png = path.join(dir, 'note.png');
  writeFileSync(pdf, makeTextPdf([['Hello world from page one'], ['Second page text here']], { fontSize: 16 }));
  writeFileSync(png, await makeTextPng(['Meeting notes', 'Bring the blue folder']));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command, returning its exit code and what it wrote to stdout and stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await ocrCommand(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('folio ocr', () => {
  it('prints every page as text, pages separated by a form feed', async () => {
    const r = await run([pdf, '--dpi', '150']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Hello world from page one\n\fSecond page text here\n');
  });

  it('prints one page as the canonical JSON result', async () => {
    const r = await run([pdf, '--page', '2', '--dpi', '150', '--format', 'json']);
    expect(r.code).toBe(0);
    const page = JSON.parse(r.out);
    expect(page).toMatchObject({ dpi: 150, rotation: 0 });
    expect(page.width).toBeCloseTo(1240, -1);
    expect(page.blocks[0].lines[0].text).toBe('Second page text here');
    expect(page.blocks[0].lines[0].words).toHaveLength(4);
  });

  it('prints Markdown for an image', async () => {
    const r = await run([png, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Meeting notes');
    expect(r.out).toContain('Bring the blue folder');
  });

  it('reads a born-digital page from its text layer by default, and OCRs it with --ocr force', async () => {
    const typographic = path.join(dir, 'typographic.pdf');
    writeFileSync(typographic, textLayerFixtures().textOnly.pdf);
    const auto = await run([typographic, '--page', '1', '--dpi', '150', '--format', 'json']);
    expect(auto.code).toBe(0);
    const page = JSON.parse(auto.out);
    expect(page.source).toBe('text_layer');
    expect(page.blocks[0].lines[0].text).toBe(TYPOGRAPHIC_LINE);
    const forced = JSON.parse((await run([pdf, '--page', '1', '--dpi', '150', '--format', 'json', '--ocr', 'force'])).out);
    expect(forced).toMatchObject({ source: 'ocr', sourceReason: 'force_ocr' });
    expect(forced.blocks[0].lines[0].words[0].origin).toBe('ocr');
    expect((await run([pdf, '--ocr', 'sometimes'])).code).toBe(2);
  });

  it('reads a mixed page: its text layer, and the OCR of its image of text rendered alone, in place', async () => {
    const mixed = path.join(dir, 'mixed.pdf');
    writeFileSync(mixed, textLayerFixtures().textWithImageOfText.pdf);
    for (const dpi of ['300', '150']) {
      const r = await run([mixed, '--page', '1', '--dpi', dpi, '--format', 'json']);
      expect(r.code).toBe(0);
      const page = JSON.parse(r.out);
      expect(page).toMatchObject({ source: 'mixed', sourceReason: 'image_regions' });
      const words = page.blocks.flatMap((b: { lines: Array<{ words: Array<{ text: string; origin: string; quad: number[][] }> }> }) => b.lines.flatMap((l) => l.words));
      expect(words.filter((w: { origin: string }) => w.origin === 'text_layer').map((w: { text: string }) => w.text)).toEqual(['Quarterly', 'report']);
      const ocr = words.filter((w: { origin: string }) => w.origin === 'ocr');
      expect(ocr.map((w: { text: string }) => w.text.toLowerCase()).join(' ')).toMatch(/revenue/);
      // Mapped back from the sheet onto the page: inside the image's region (x from 1 inch).
      const scale = Number(dpi) / 300;
      for (const w of ocr) expect(w.quad[0]![0]).toBeGreaterThan(290 * scale);
    }
  });

  it('writes hOCR, and a searchable PDF of a scan to --out that pdftotext reads', async () => {
    const scan = path.join(dir, 'scan.pdf');
    writeFileSync(scan, textLayerFixtures().scanOnly.pdf);
    const hocr = await run([png, '--format', 'hocr']);
    expect(hocr.out).toMatch(/<span class="ocrx_word" id="word_1_1" title="bbox \d+ \d+ \d+ \d+; x_wconf \d+">Meeting<\/span>/);
    const out = path.join(dir, 'scan.searchable.pdf');
    const r = await run([scan, '--format', 'pdf', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    const ocr = JSON.parse((await run([scan, '--format', 'json'])).out)[0];
    const words = ocr.blocks.flatMap((b: { lines: Array<{ words: Array<{ text: string }> }> }) => b.lines.flatMap((l) => l.words.map((w) => w.text)));
    expect(words.length).toBeGreaterThan(2);
    expect(text.split(/\s+/).filter(Boolean)).toEqual(words);
  });

  it('rejects bad arguments and missing files with a message', async () => {
    expect((await run([pdf, '--format', 'xml'])).code).toBe(2);
    expect((await run([pdf, '--page', '0'])).code).toBe(2);
    const beyond = await run([pdf, '--page', '3']);
    expect(beyond.code).toBe(2);
    expect(beyond.err).toMatch(/2 page/);
    const missing = await run([path.join(dir, 'nope.pdf')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
    expect((await run([])).code).toBe(2);
  });
});
