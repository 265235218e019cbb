import { describe, expect, it } from 'vitest';
import { block, line } from '../../test/pages.fixture.ts';
import type { OcrPage } from '@folio/ocr';
import { pageLanguage } from './doctr.language.ts';

const pageOf = (...texts: string[]): OcrPage => ({
  width: 1000,
  height: 1400,
  dpi: 144,
  rotation: 0,
  blocks: [block('paragraph', texts.map((t, i) => line(t, 100, 100 + 40 * i, 900, 130 + 40 * i)))],
});

describe('pageLanguage (eld)', () => {
  it('names the language of the recognized text in ISO 639-1 with a score', async () => {
    const de = await pageLanguage(pageOf('Sehr geehrte Damen und Herren,', 'anbei erhalten Sie die Rechnung für den Monat März.'));
    expect(de.value).toBe('de');
    expect(de.confidence).toBeGreaterThan(0);
    expect(de.confidence).toBeLessThanOrEqual(1);
    expect((await pageLanguage(pageOf('Estimado cliente, le enviamos la factura del mes pasado.'))).value).toBe('es');
  });

  it('answers nulls when the text cannot tell (numbers, nothing)', async () => {
    expect(await pageLanguage(pageOf('12.50 17.25 2041'))).toEqual({ value: null, confidence: null });
    expect(await pageLanguage(pageOf())).toEqual({ value: null, confidence: null });
  });
});
