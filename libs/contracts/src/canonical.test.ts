import { describe, expect, it } from 'vitest';
import { ocrPageSchema, parseOcrPage } from './canonical.ts';
import { documentPage, rotatedPage } from '../test/pages.fixture.ts';

describe('ocrPageSchema', () => {
  it('round-trips canonical pages through JSON unchanged', () => {
    for (const page of [documentPage(), rotatedPage()]) {
      expect(parseOcrPage(JSON.parse(JSON.stringify(page)))).toEqual(page);
    }
  });

  it('rejects a rotation that is not a quarter turn', () => {
    const bad = { ...documentPage(), rotation: 45 };
    expect(ocrPageSchema.safeParse(bad).success).toBe(false);
  });

  it('rejects a quad with three corners and a confidence above 1', () => {
    const page = documentPage();
    const word = page.blocks[0]!.lines[0]!.words[0]!;
    const threeCorners = JSON.parse(JSON.stringify(page));
    threeCorners.blocks[0].lines[0].words[0].quad = word.quad.slice(0, 3);
    expect(ocrPageSchema.safeParse(threeCorners).success).toBe(false);
    const overconfident = JSON.parse(JSON.stringify(page));
    overconfident.blocks[0].lines[0].confidence = 1.5;
    expect(ocrPageSchema.safeParse(overconfident).success).toBe(false);
  });

  it('rejects a table cell pointing past the block lines, naming the path', () => {
    const page = JSON.parse(JSON.stringify(documentPage()));
    page.blocks[3].table.rows[0][0] = [99];
    const result = ocrPageSchema.safeParse(page);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['blocks', 3, 'table', 'rows', 0, 0, 0]);
  });

  it('accepts a page without timings and an empty page', () => {
    const { timings: _, ...page } = documentPage();
    expect(ocrPageSchema.safeParse(page).success).toBe(true);
    expect(ocrPageSchema.safeParse({ width: 10, height: 10, dpi: 72, rotation: 0, blocks: [] }).success).toBe(true);
  });
});
