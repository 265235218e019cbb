import { describe, expect, it } from 'vitest';
import { openDocument } from './document.open.ts';
import type { Raster } from './document.types.ts';
import { boundsOf } from './text-layer.geometry.ts';
import type { TextLayerPage, TextLayerQuad } from './text-layer.types.ts';
import { groupLines } from './text-layer.words.ts';
import {
  A4,
  LIGATURE_EXPANDED,
  TYPOGRAPHIC_LINE,
  makeTextRaster,
  textLayerFixtures,
  writePdf,
  type PdfPage,
} from './testing/index.ts';
import { inkBox } from './testing/raster.inspect.ts';

const fixtures = textLayerFixtures();

async function read(pdf: Uint8Array, dpi = 144, page = 0): Promise<TextLayerPage> {
  const doc = await openDocument(pdf);
  try {
    return await doc.readTextLayer!(page, { dpi });
  } finally {
    await doc.close();
  }
}

async function readAndRender(pdf: Uint8Array, dpi: number): Promise<{ layer: TextLayerPage; raster: Raster }> {
  const doc = await openDocument(pdf);
  try {
    return { layer: await doc.readTextLayer!(0, { dpi }), raster: await doc.renderPage(0, { dpi }) };
  } finally {
    await doc.close();
  }
}

const lineTexts = (page: TextLayerPage): string[] => groupLines(page.words).map((l) => l.map((w) => w.text).join(' '));

/** The words' quads together, as an axis-aligned box with inclusive pixel edges like `inkBox`. */
function quadsBox(quads: TextLayerQuad[]): { left: number; top: number; right: number; bottom: number } {
  const b = boundsOf(quads.flat());
  return { left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height };
}

/** Every inked pixel lies inside the quads (give or take antialiasing), and the quads hug the ink. */
function expectQuadsAroundInk(layer: TextLayerPage, raster: Raster): void {
  const ink = inkBox(raster, 200)!;
  const quads = quadsBox(layer.words.map((w) => w.quad));
  expect(ink.left).toBeGreaterThanOrEqual(quads.left - 2);
  expect(ink.top).toBeGreaterThanOrEqual(quads.top - 2);
  expect(ink.right).toBeLessThanOrEqual(quads.right + 2);
  expect(ink.bottom).toBeLessThanOrEqual(quads.bottom + 2);
  // The font box is taller than the ink (accents, descenders), never far off it.
  const slack = 0.5 * (layer.dpi / 72) * 12;
  for (const side of ['left', 'top', 'right', 'bottom'] as const) expect(Math.abs(ink[side] - quads[side])).toBeLessThan(slack);
}

describe('readTextLayer: trusted text', () => {
  it('reads a born-digital page word by word: €, accents, typographic quotes kept, ligatures expanded, hyphens as printed', async () => {
    const page = await read(fixtures.textOnly.pdf);
    expect(page.verdict).toEqual({ source: 'text_layer', imageRegions: [] });
    expect(lineTexts(page)).toEqual(fixtures.textOnly.lines);
    expect(page.words.map((w) => w.text)).toEqual(fixtures.textOnly.lines.flatMap((l) => l.split(' ')));
    expect(page.words.every((w) => w.confidence === 1)).toBe(true);
    expect(lineTexts(page)).toContain(TYPOGRAPHIC_LINE);
    expect(lineTexts(page)).toContain(LIGATURE_EXPANDED);
    expect(page.stats).toMatchObject({ chars: expect.any(Number), invisibleChars: 0, unmappedChars: 0, controlChars: 0 });
  });

  it('gives quads in pixels of the page rendered at the same dpi: origin top-left, clockwise from the top-left', async () => {
    const { layer, raster } = await readAndRender(fixtures.textOnly.pdf, 144);
    expect([layer.width, layer.height, layer.dpi]).toEqual([raster.width, raster.height, raster.dpi]);
    expectQuadsAroundInk(layer, raster);
    const [tl, tr, br, bl] = layer.words[0]!.quad;
    expect(tl[0]).toBeCloseTo(144, 0); // x = 72 pt from the left at 2 px/pt
    expect(tr[0]).toBeGreaterThan(tl[0]);
    expect(br[1]).toBeGreaterThan(tr[1]);
    expect(bl[0]).toBeCloseTo(tl[0], 5);
    // The baseline sits 100 pt from the top; the quad spans ascent to descent around it.
    expect(tl[1]).toBeLessThan(200);
    expect(bl[1]).toBeGreaterThan(200);
  });

  it('plans the dpi exactly as renderPage does (clamped by the limits)', async () => {
    const doc = await openDocument(fixtures.textOnly.pdf, { maxRenderDpi: 200 });
    const layer = await doc.readTextLayer!(0, { dpi: 600 });
    const raster = await doc.renderPage(0, { dpi: 600 });
    await doc.close();
    expect([layer.width, layer.height, layer.dpi]).toEqual([raster.width, raster.height, 200]);
  });

  it('applies /Rotate 90 like the renderer: the page turns, the words run down the page', async () => {
    const { layer, raster } = await readAndRender(fixtures.rotatedPage.pdf, 144);
    expect(layer.pageRotation).toBe(90);
    expect([layer.width, layer.height]).toEqual([raster.width, raster.height]);
    expect(layer.width).toBeGreaterThan(layer.height);
    expect(lineTexts(layer)).toEqual(fixtures.rotatedPage.lines);
    const [tl, tr, , bl] = layer.words[0]!.quad;
    expect(tr[1]).toBeGreaterThan(tl[1]); // reading direction: down
    expect(tl[0]).toBeGreaterThan(bl[0]); // "up" of the text points right
    expectQuadsAroundInk(layer, raster);
  });

  it('places a rotated run with rotated quads, apart from the body text', async () => {
    const { layer, raster } = await readAndRender(fixtures.rotatedRun.pdf, 144);
    expect(layer.verdict.source).toBe('text_layer');
    expect(lineTexts(layer)).toEqual(fixtures.rotatedRun.lines);
    const note = layer.words.find((w) => w.text === 'Margin')!;
    const [tl, tr, , bl] = note.quad;
    expect(tr[1]).toBeLessThan(tl[1]); // reads upwards
    expect(bl[0]).toBeGreaterThan(tl[0]); // "up" of the text points left
    expect(tl[0]).toBeCloseTo(40 * 2 - 0.905 * 12 * 2, 0); // baseline at x = 40 pt, ascent to the left
    expectQuadsAroundInk(layer, raster);
  });

  it('puts accents that the PDF sets as separate glyphs back on their letters', async () => {
    // "Age" is 21.35 pt wide in 12-pt Helvetica; the circumflex is moved back over the e.
    const layer = await read(writePdf([{ texts: [{ text: 'Age', x: 72, y: 100 }, { text: 'ˆncia', x: 72 + 21.35 - 5.5, y: 100 }] }]));
    expect(layer.words.map((w) => w.text)).toEqual(['Agência']);
  });

  it('reads white text on a dark fill, and drops white text on white paper', async () => {
    const page: PdfPage = {
      texts: [{ text: 'Visible words', x: 72, y: 100 }],
      rawContent: [
        'BT /F1 12 Tf 1 1 1 rg 72 700 Td (Hidden white text) Tj ET',
        '0 0 0 rg 72 590 200 30 re f',
        'BT /F1 12 Tf 1 1 1 rg 80 600 Td (Banner) Tj ET',
      ].join('\n'),
    };
    const layer = await read(writePdf([page]));
    expect(layer.verdict.source).toBe('text_layer');
    expect(layer.words.map((w) => w.text)).toEqual(['Visible', 'words', 'Banner']);
    expect(layer.stats.invisibleChars).toBe('Hiddenwhitetext'.length);
  });

  it('leaves out text outside the crop box, as the render does', async () => {
    // pdfjs already leaves out glyphs outside the view; the crop-box check backs it up.
    const layer = await read(
      writePdf([{ texts: [{ text: 'On the page', x: 72, y: 100 }, { text: 'Off', x: -300, y: 100 }, { text: 'Edge straddling', x: A4.width - 40, y: 130 }] }]),
    );
    expect(layer.verdict.source).toBe('text_layer');
    const [on, the, page, edge, cut, ...rest] = layer.words.map((w) => w.text);
    expect([on, the, page, edge, rest]).toEqual(['On', 'the', 'page', 'Edge', []]);
    expect('straddling'.startsWith(cut!) && cut!.length < 'straddling'.length).toBe(true);
  });
});

describe('readTextLayer: pages to OCR', () => {
  it('sends a scan (one image covering the page, no text) to OCR', async () => {
    const layer = await read(fixtures.scanOnly.pdf);
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'scanned_page', imageRegions: [] });
    expect(layer.words).toEqual([]);
    expect(layer.stats.largestImageShare).toBeGreaterThan(0.99);
  });

  it('treats invisible text over a scan as a text layer to verify, not to trust', async () => {
    const layer = await read(fixtures.invisibleOverScan.pdf);
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'invisible_text', imageRegions: [] });
    expect(layer.words).toEqual([]);
    expect(layer.stats.invisibleChars).toBe(layer.stats.chars);
  });

  it('falls back to OCR for a font whose ToUnicode maps to the private-use area', async () => {
    const layer = await read(fixtures.brokenToUnicode.pdf);
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'unmapped_glyphs', imageRegions: [] });
    expect(layer.stats.unmappedChars).toBe(layer.stats.chars);
  });

  it('falls back to OCR for a font whose glyphs map to control characters', async () => {
    const layer = await read(fixtures.unmappedControl.pdf);
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'control_characters', imageRegions: [] });
  });

  it('does not trust visible text that an image painted later covers', async () => {
    const raster = makeTextRaster(['Something else'], { fontSize: 40 });
    const layer = await read(
      writePdf([{ order: ['texts', 'images'], texts: [{ text: 'Text under the picture', x: 72, y: 100 }], images: [{ x: 60, y: 80, width: 300, height: 40, raster }] }]),
    );
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'text_under_image', imageRegions: [] });
  });

});

describe('readTextLayer: mixed pages', () => {
  it('reads the text layer and names the embedded image of text as a region to OCR, in page pixels', async () => {
    const layer = await read(fixtures.textWithImageOfText.pdf, 144);
    expect(layer.verdict).toEqual({ source: 'mixed', reason: 'image_regions', imageRegions: [{ x: 144, y: 400, width: 600, height: 120 }] });
    expect(lineTexts(layer)).toEqual(fixtures.textWithImageOfText.lines);
  });

  it('finds an inline image and puts its region through /Rotate', async () => {
    const raster = makeTextRaster(['Stamp'], { fontSize: 24 });
    const layer = await read(
      writePdf([{ rotate: 90, texts: [{ text: 'Body', x: 72, y: 100 }], images: [{ x: 100, y: 300, width: 200, height: 50, raster, inline: true }] }]),
      72,
    );
    // Unrotated the image spans x 100–300, y 300–350 (from the top); turned 90° clockwise,
    // x' = pageHeight − y and y' = x.
    const height = Math.round(A4.height);
    expect(layer.verdict.imageRegions).toEqual([{ x: height - 350 - 1, y: 100, width: 51, height: 200 }]);
  });

  it('names filled form fields as regions to OCR: their values are drawn by the viewer, not in the text layer', async () => {
    const pdf = writePdf([{ texts: [{ text: 'Name:', x: 72, y: 100 }], fields: [{ x: 120, y: 86, width: 200, height: 20, value: 'Gaëtan Dupont' }] }]);
    const { layer, raster } = await readAndRender(pdf, 72);
    expect(layer.verdict).toEqual({ source: 'mixed', reason: 'image_regions', imageRegions: [{ x: 120, y: 86, width: 200, height: 20 }] });
    expect(layer.words.map((w) => w.text)).toEqual(['Name:']);
    // The render shows the value inside that region.
    const ink = inkBox(raster, 200)!;
    expect(ink.right).toBeGreaterThan(130);
  });

  it('ignores images too small to hold text and backgrounds that text covers', async () => {
    const rule = makeTextRaster([''], { width: 400, padding: 2 });
    const background = makeTextRaster([''], { width: 200, padding: 100 });
    const lines = Array.from({ length: 30 }, (_, i) => ({ text: 'Running text over a letterhead background image', x: 72, y: 100 + i * 16 }));
    const layer = await read(
      writePdf([{ texts: lines, images: [{ x: 72, y: 40, width: 400, height: 4, raster: rule }, { x: 50, y: 80, width: 495, height: 500, raster: background }] }]),
    );
    expect(layer.verdict).toEqual({ source: 'text_layer', imageRegions: [] });
  });
});

describe('readTextLayer on a blank page and on bad indexes', () => {
  it('reads a blank page as an empty text layer (nothing to OCR)', async () => {
    const layer = await read(writePdf([{}]));
    expect(layer.verdict).toEqual({ source: 'text_layer', imageRegions: [] });
    expect(layer.words).toEqual([]);
  });

  it('sends a page of vector drawing without text to OCR (text may be drawn as outlines)', async () => {
    const layer = await read(writePdf([{ rects: [{ x: 72, y: 72, width: 100, height: 100, fill: true }] }]));
    expect(layer.verdict).toEqual({ source: 'ocr', reason: 'no_text_layer', imageRegions: [] });
  });

  it('refuses a page index out of range', async () => {
    const doc = await openDocument(fixtures.textOnly.pdf);
    await expect(doc.readTextLayer!(1)).rejects.toThrow(RangeError);
    await doc.close();
  });
});
