/**
 * Page orientation on generated pages (real models): an upright page is never turned, a turned
 * page is read exactly as its upright self, and batches read what single pages read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, pageToText, type OcrEngine, type OcrPage, type Rotation } from '../src/index.ts';
import { turnUpright } from '../src/image/turn.image.ts';
import { findUncoveredInk } from '../src/detection/det.coverage.ts';
import { drawPage, rotateRaster, type TextItem } from './synthetic.page.ts';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ threads: 2 });
});
afterAll(() => engine?.close());

/** A sparse letter-size form (100 dpi): short labels, each answered "N/A" on its own line. */
const FORM: TextItem[] = [
  { text: 'Tenant form', x: 80, y: 90, size: 30 },
  ...['Name', 'Address', 'Phone', 'Employer', 'Pets', 'Vehicle', 'Notes', 'Signed'].flatMap((label, i) => [
    { text: `${label}:`, x: 80, y: 170 + i * 110, size: 20 },
    { text: 'N/A', x: 120, y: 210 + i * 110, size: 20 },
  ]),
];

const uprightText = (p: OcrPage) => pageToText(p);

describe('page orientation', () => {
  let upright: OcrPage;
  beforeAll(async () => {
    upright = await engine.recognize(drawPage(850, 1100, FORM).raster);
  });

  it('keeps a sparse form of short "N/A" answers upright, with the evidence', () => {
    expect(upright.rotation).toBe(0);
    expect(uprightText(upright)).toContain('N/A');
    expect(uprightText(upright)).toContain('Employer');
    expect(upright.orientation).toMatchObject({ geometry: 0 });
    expect(['classifier', 'recognizer', 'unsure']).toContain(upright.orientation?.decidedBy);
  });

  it.each([90, 180, 270] as Rotation[])('reads the form turned %i° exactly as upright, boxes in the turned pixels', async (rotation) => {
    const turned = await engine.recognize(drawPage(850, 1100, FORM, rotation).raster);
    expect(turned.rotation).toBe(rotation);
    expect(turned.width).toBe(rotation === 180 ? 850 : 1100);
    expect(pageToText(turned)).toBe(uprightText(upright));
    // Every word box lies inside the turned page.
    for (const b of turned.blocks)
      for (const l of b.lines)
        for (const [x, y] of l.quad) {
          expect(x).toBeGreaterThanOrEqual(-1);
          expect(x).toBeLessThanOrEqual(turned.width + 1);
          expect(y).toBeGreaterThanOrEqual(-1);
          expect(y).toBeLessThanOrEqual(turned.height + 1);
        }
  });

  it('reads a batch with turned pages exactly as page by page', async () => {
    const rasters = () => [drawPage(850, 1100, FORM).raster, drawPage(850, 1100, FORM, 180).raster, drawPage(850, 1100, FORM, 90).raster];
    const single: OcrPage[] = [];
    for (const r of rasters()) single.push(await engine.recognize(r));
    const batch = await engine.recognizeBatch!(rasters().map((raster) => ({ raster })));
    const strip = (p: OcrPage) => ({ ...p, timings: undefined });
    expect(batch.map((o) => (o.ok ? strip(o.page) : o.error))).toEqual(single.map(strip));
  });
});

describe('turnUpright', () => {
  it('undoes a turn pixel for pixel', () => {
    const page = drawPage(120, 50, [{ text: 'Turn', x: 5, y: 35, size: 28 }]).raster;
    for (const r of [90, 180, 270] as Rotation[]) {
      const back = turnUpright(rotateRaster(page, r), r);
      expect(back.width).toBe(page.width);
      expect(Buffer.from(back.data).equals(Buffer.from(page.data))).toBe(true);
    }
  });
});

describe('findUncoveredInk', () => {
  const items: TextItem[] = [
    { text: 'A line the detector found', x: 40, y: 60, size: 28 },
    { text: 'small faint address line missed', x: 40, y: 130, size: 18 },
  ];
  const page = drawPage(700, 180, items);
  const box = (w: (typeof page.lines)[number]) => {
    const x0 = Math.min(...w.words.map((x) => x.box[0]));
    const x1 = Math.max(...w.words.map((x) => x.box[2]));
    const y0 = Math.min(...w.words.map((x) => x.box[1]));
    const y1 = Math.max(...w.words.map((x) => x.box[3]));
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as [[number, number], [number, number], [number, number], [number, number]];
  };

  it('flags a line of ink outside every detected box, and nothing when all are covered', () => {
    const warnings = findUncoveredInk(page.raster, [box(page.lines[0]!)], 0, 700, 180);
    expect(warnings).toHaveLength(1);
    const [x0, y0] = warnings[0]!.quad[0];
    expect(x0).toBeLessThan(60);
    expect(y0).toBeGreaterThan(100);
    expect(warnings[0]!.kind).toBe('uncovered-ink');
    expect(findUncoveredInk(page.raster, page.lines.map(box), 0, 700, 180)).toEqual([]);
  });
});
